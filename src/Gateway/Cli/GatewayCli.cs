using System.CommandLine;
using System.Globalization;

using FluentValidation;

using Routescope.Gateway.Admin;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Cli;

/// <summary>
/// Command-line administration over the same services as the admin API (<c>keys create|list|revoke</c>, <c>migrate</c>).
/// Results go to stdout, so <c>KEY=$(… keys create --name x)</c> works; everything else goes to stderr.
/// </summary>
internal static class GatewayCli
{
    private static readonly string[] Verbs = ["keys", "usage", "migrate"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Routescope Gateway administration. Without a command, the gateway serves.");
        root.Subcommands.Add(KeysCommand(services, output, error));
        root.Subcommands.Add(UsageCommand(services, output, error));
        root.Subcommands.Add(MigrateCommand(services, output));
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command UsageCommand(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var from = new Option<string?>("--from") { Description = "Start, inclusive: a date (2026-11-01) or ISO-8601 time, UTC. Default: start of this month." };
        var to = new Option<string?>("--to") { Description = "End, exclusive. Default: now." };
        var groupBy = new Option<string?>("--group-by") { Description = "none (one row per request), key, key,model, key,day or key,model,day." };
        var format = new Option<string?>("--format") { Description = "csv (default), json or focus." };
        var file = new Option<FileInfo>("--out") { Description = "File to write, e.g. usage.csv.", Required = true };
        var export = new Command("export", "Export usage for finance, straight from the store.") { from, to, groupBy, format, file };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var (query, problem) = UsageQuery.Parse(parse.GetValue(from), parse.GetValue(to), parse.GetValue(groupBy), parse.GetValue(format),
                services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (query is null)
            {
                await error.WriteLineAsync(problem!.Replace("groupBy:", "--group-by:", StringComparison.Ordinal));
                return 1;
            }

            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var target = parse.GetRequiredValue(file);
            await using (var stream = target.Create())
            {
                await services.GetRequiredService<UsageExporter>().WriteAsync(stream, query, cancellationToken);
            }

            await output.WriteLineAsync($"Wrote {target.FullName}.");
            return 0;
        });
        var usage = new Command("usage", "Usage records.");
        usage.Subcommands.Add(export);
        return usage;
    }

    private static Command MigrateCommand(IServiceProvider services, TextWriter output)
    {
        var migrate = new Command("migrate", "Create or upgrade the store schema, then exit.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            await output.WriteLineAsync("Store schema is up to date.");
            return 0;
        });
        return migrate;
    }

    private static Command KeysCommand(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var keys = new Command("keys", "Manage gateway keys.");

        var name = new Option<string>("--name") { Description = "Who the key is for, e.g. team-a.", Required = true };
        var group = new Option<string?>("--group") { Description = "Billing group (its ratio applies to the key's usage)." };
        var expiresAt = new Option<DateTimeOffset?>("--expires-at") { Description = "Expiry time, ISO-8601 (e.g. 2027-01-01T00:00:00Z)." };
        var create = new Command("create", "Create a key and print it on stdout. It is shown only this once.") { name, group, expiresAt };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var request = new CreateKeyRequest { Name = parse.GetValue(name), Group = parse.GetValue(group), ExpiresAt = parse.GetValue(expiresAt) };
            var validation = await services.GetRequiredService<IValidator<CreateKeyRequest>>().ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, validation.Errors.Select(e => e.ErrorMessage)));
                return 1;
            }

            var (key, secret) = await services.GetRequiredService<GatewayKeyService>().CreateAsync(request.Name!, request.Group, request.ExpiresAt, cancellationToken);
            await output.WriteLineAsync(secret);
            await error.WriteLineAsync($"Created {key.Id} ({key.Name}, group {key.Group}, prefix {key.Prefix}). Store the key now: it is not shown again.");
            return 0;
        });

        var list = new Command("list", "List keys (never the keys themselves).");
        list.SetAction(async (_, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var all = await services.GetRequiredService<GatewayKeyService>().ListAsync(cancellationToken);
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-21} {1,-24} {2,-16} {3,-13} {4,-8} {5,-20} {6}",
                "ID", "NAME", "GROUP", "PREFIX", "STATUS", "CREATED", "EXPIRES"));
            foreach (var key in all)
            {
                var view = KeyView.From(key, now);
                await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-21} {1,-24} {2,-16} {3,-13} {4,-8} {5,-20} {6}",
                    view.Id, view.Name, view.Group, view.Prefix, view.Status, Iso(view.CreatedAt), view.ExpiresAt is { } e ? Iso(e) : "-"));
            }

            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key's id (key_…), as `keys list` shows it." };
        var revoke = new Command("revoke", "Revoke a key. Other running replicas stop accepting it within Keys:CacheTtl.") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var keyId = parse.GetRequiredValue(id);
            if (!await services.GetRequiredService<GatewayKeyService>().RevokeAsync(keyId, cancellationToken))
            {
                await error.WriteLineAsync($"No key with id {keyId}.");
                return 1;
            }

            await output.WriteLineAsync($"Revoked {keyId}.");
            return 0;
        });

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
