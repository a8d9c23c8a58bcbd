using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

using FluentValidation;

using Routescope.Gateway.Admin;
using Routescope.Gateway.Audit;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Storage;

namespace Routescope.Gateway.Cli;

/// <summary>
/// Command-line administration over the same services as the admin API (<c>keys create|list|show|set|revoke</c>,
/// <c>groups list|show|set</c>, <c>usage export</c>, <c>migrate</c>).
/// Results go to stdout, so <c>KEY=$(… keys create --name x)</c> works; everything else goes to stderr.
/// </summary>
internal static class GatewayCli
{
    private static readonly string[] Verbs = ["keys", "groups", "usage", "migrate"];

    // The admin API's JSON (same names, unset policy fields left out), indented for a person reading a terminal.
    private static readonly JsonSerializerOptions JsonOutput = new(AdminJsonContext.Default.Options) { WriteIndented = true };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>
    /// The exit code for arguments that must not start the server: 1 when they ask for help (<c>help</c>,
    /// <c>--help</c>, <c>-h</c>, <c>-?</c>), 2 for a word that is no command (a typo must not end up serving, or in a
    /// stack trace over a busy port); null otherwise. Arguments starting with '-' remain configuration
    /// (<c>--urls …</c>, <c>--Store:DataDirectory=…</c>).
    /// </summary>
    public static int? Refusal(string[] args) => args switch
    {
        [] => null,
        ["help" or "--help" or "-h" or "-?", ..] => 1,
        [var first, ..] when !first.StartsWith('-') && !Verbs.Contains(first, StringComparer.Ordinal) => 2,
        _ => null,
    };

    /// <summary>Prints the usage (to stderr with the unknown word named, for a refusal of 2) and returns <paramref name="exit"/>.</summary>
    public static async Task<int> UsageAsync(string[] args, int exit, TextWriter output, TextWriter error)
    {
        var target = output;
        if (exit == 2)
        {
            await error.WriteLineAsync($"Unknown command '{args[0]}'. Without a command the gateway serves; the commands are: {string.Join(", ", Verbs)}, {HealthCheckCommand.Name}.");
            target = error;
        }

        // Help needs no services: the commands only reach them when they run.
        await using var none = new ServiceCollection().BuildServiceProvider();
        await RunAsync(none, ["--help"], target, error, CancellationToken.None);
        return exit;
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Routescope Gateway administration. Without a command, the gateway serves.");
        root.Subcommands.Add(KeysCommand(services, output, error));
        root.Subcommands.Add(GroupsCommand(services, output, error));
        root.Subcommands.Add(UsageCommand(services, output, error));
        root.Subcommands.Add(MigrateCommand(services, output));
        // Listed for the help only: Program runs it before any host is built (HealthCheckCommand).
        root.Subcommands.Add(new Command(HealthCheckCommand.Name, "GET /healthz on the gateway's own address (or --url); exit 0 on 200, else 1, within 3 s."));
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command UsageCommand(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var from = new Option<string?>("--from") { Description = "Start, inclusive: a date (2026-11-01) or ISO-8601 time, UTC. Default: start of this month." };
        var to = new Option<string?>("--to") { Description = "End, exclusive. Default: now." };
        var groupBy = new Option<string?>("--group-by") { Description = "none (one row per request), or any comma-separated combination of key, group, model, requestedModel, day, month (e.g. group,month)." };
        var format = new Option<string?>("--format") { Description = UsageQuery.Formats + " (default csv)." };
        var file = new Option<FileInfo>("--out") { Description = "File to write, e.g. usage.csv (or usage.xlsx for a spreadsheet).", Required = true };
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
            var exporter = services.GetRequiredService<UsageExporter>();
            var metadata = await exporter.DescribeAsync(query, cancellationToken);
            await using (var stream = target.Create())
            {
                await exporter.WriteAsync(stream, query, metadata, cancellationToken);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {target.FullName} (complete up to {metadata.Watermark.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, {metadata.Backlog} records still on their way to the store)."));
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
        // Read as text, by the rule the admin API uses: a time without an offset would be read in this machine's zone.
        var expiresAt = new Option<string?>("--expires-at") { Description = "Expiry time, " + IsoTime.Rule + "." };
        var create = new Command("create", "Create a key and print it on stdout. It is shown only this once.") { name, group, expiresAt };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            DateTimeOffset? expiry = null;
            if (parse.GetValue(expiresAt) is { } expiryText)
            {
                if (!IsoTime.TryParse(expiryText, out var parsed))
                {
                    await error.WriteLineAsync("--expires-at: must be " + IsoTime.Rule + ".");
                    return 1;
                }

                expiry = parsed;
            }

            var request = new CreateKeyRequest { Name = parse.GetValue(name), Group = parse.GetValue(group), ExpiresAt = expiry };
            var validation = await services.GetRequiredService<IValidator<CreateKeyRequest>>().ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, validation.Errors.Select(e => e.ErrorMessage)));
                return 1;
            }

            var (key, secret) = await services.GetRequiredService<GatewayKeyService>().CreateAsync(request.Name!, request.Group, request.ExpiresAt, AuditActor.Cli(), cancellationToken);
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

        var shownId = KeyId();
        var show = new Command("show", "Show a key with its own and its effective policy, as JSON (as GET /admin/keys/{id}).") { shownId };
        show.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var keyId = parse.GetRequiredValue(shownId);
            var key = await services.GetRequiredService<GatewayKeyService>().FindAsync(keyId, cancellationToken);
            if (key is null)
            {
                await error.WriteLineAsync($"No key with id {keyId}.");
                return 1;
            }

            await WriteKeyAsync(services, key, output, cancellationToken);
            return 0;
        });

        var setId = KeyId();
        var set = new Command("set", "Change a key's own policy: each option given sets its field, 'none' clears it (back to the group's value), "
            + "the others stay. Running gateways see it within Keys:CacheTtl.") { setId };
        var policy = new PolicyOptions();
        policy.AddTo(set);
        set.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var (patch, problems) = await policy.ReadAsync(parse, services.GetRequiredService<IValidator<KeyPolicy>>(), cancellationToken);
            if (patch is null)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, problems));
                return 1;
            }

            var keyId = parse.GetRequiredValue(setId);
            var key = await services.GetRequiredService<GatewayKeyService>().UpdatePolicyAsync(keyId, patch, AuditActor.Cli(), cancellationToken);
            if (key is null)
            {
                await error.WriteLineAsync($"No key with id {keyId}.");
                return 1;
            }

            await WriteKeyAsync(services, key, output, cancellationToken);
            return 0;
        });

        var id = KeyId();
        var revoke = new Command("revoke", "Revoke a key. Other running replicas stop accepting it within Keys:CacheTtl.") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var keyId = parse.GetRequiredValue(id);
            if (!await services.GetRequiredService<GatewayKeyService>().RevokeAsync(keyId, AuditActor.Cli(), cancellationToken))
            {
                await error.WriteLineAsync($"No key with id {keyId}.");
                return 1;
            }

            await output.WriteLineAsync($"Revoked {keyId}.");
            return 0;
        });

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(show);
        keys.Subcommands.Add(set);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static Command GroupsCommand(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var groups = new Command("groups", "Key groups: policy defaults their keys inherit. A group exists once a key names it or it is set.");

        var list = new Command("list", "List groups and their main limits (groups show gives all of a group's policy).");
        list.SetAction(async (_, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var all = await services.GetRequiredService<GatewayKeyService>().ListGroupsAsync(cancellationToken);
            const string Row = "{0,-24} {1,-6} {2,-11} {3,-12} {4,-20} {5}";
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, Row, "NAME", "RPM", "CONCURRENCY", "BUDGET_USD", "UPDATED", "ALLOWED_MODELS"));
            foreach (var group in all)
            {
                var p = group.Policy;
                await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, Row,
                    group.Name, Or(p.Rpm), Or(p.Concurrency), Or(p.MonthlyBudgetUsd), group.UpdatedAt is { } u ? Iso(u) : "-",
                    p.Unreadable ? "(stored policy unreadable: its keys are refused)" : p.AllowedModels is { } models ? string.Join(',', models) : "-"));
            }

            return 0;
        });

        var shownName = GroupName();
        var show = new Command("show", "Show a group's policy as JSON (as GET /admin/groups/{name}).") { shownName };
        show.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var name = parse.GetRequiredValue(shownName);
            var group = KeyGroupName.IsValid(name) ? await services.GetRequiredService<GatewayKeyService>().FindGroupAsync(name, cancellationToken) : null;
            if (group is null)
            {
                await error.WriteLineAsync($"No group named {name}: no key names it and it was never set.");
                return 1;
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(GroupView.From(group), (JsonTypeInfo<GroupView>)JsonOutput.GetTypeInfo(typeof(GroupView))));
            return 0;
        });

        var setName = GroupName();
        var set = new Command("set", "Change a group's policy: each option given sets its field, 'none' clears it, the others stay "
            + "(PUT /admin/groups/{name} replaces the whole policy instead). Creates the group if need be.") { setName };
        var policy = new PolicyOptions();
        policy.AddTo(set);
        set.SetAction(async (parse, cancellationToken) =>
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
            var name = parse.GetRequiredValue(setName);
            if (!KeyGroupName.IsValid(name))
            {
                await error.WriteLineAsync("name: " + KeyGroupName.Rule);
                return 1;
            }

            var (patch, problems) = await policy.ReadAsync(parse, services.GetRequiredService<IValidator<KeyPolicy>>(), cancellationToken);
            if (patch is null)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, problems));
                return 1;
            }

            var keys = services.GetRequiredService<GatewayKeyService>();
            var current = await keys.FindGroupAsync(name, cancellationToken);
            var (group, created) = await keys.PutGroupAsync(name, patch.ApplyTo((current?.Policy ?? KeyPolicy.None) with { Unreadable = false }), AuditActor.Cli(), cancellationToken);
            await output.WriteLineAsync(JsonSerializer.Serialize(GroupView.From(group), (JsonTypeInfo<GroupView>)JsonOutput.GetTypeInfo(typeof(GroupView))));
            await error.WriteLineAsync(created ? $"Created group {name}." : $"Updated group {name}.");
            return 0;
        });

        groups.Subcommands.Add(list);
        groups.Subcommands.Add(show);
        groups.Subcommands.Add(set);
        return groups;
    }

    /// <summary>The key as <c>GET /admin/keys/{id}</c> shows it, with the group it inherits from.</summary>
    private static async Task WriteKeyAsync(IServiceProvider services, GatewayKey key, TextWriter output, CancellationToken cancellationToken)
    {
        var group = await services.GetRequiredService<GatewayKeyService>().FindGroupAsync(key.Group, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var month = BudgetMonth.Of(now);
        var spend = await services.GetRequiredService<IBudgetStore>().SpendAsync(key.Id, month, now, cancellationToken);
        var view = KeyView.Details(key, group, now, month, spend);
        await output.WriteLineAsync(JsonSerializer.Serialize(view, (JsonTypeInfo<KeyView>)JsonOutput.GetTypeInfo(typeof(KeyView))));
    }

    private static Argument<string> KeyId() => new("id") { Description = "The key's id (key_…), as `keys list` shows it." };

    private static Argument<string> GroupName() => new("name") { Description = "The group's name, e.g. design (" + KeyGroupName.Rule + ")." };

    private static string Or<T>(T? value)
        where T : struct, IFormattable => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "-";

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
