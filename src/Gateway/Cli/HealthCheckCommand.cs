using System.Net;

namespace Routescope.Gateway.Cli;

/// <summary>
/// <c>healthcheck [--url &lt;url&gt;]</c>: asks the gateway's own <c>/healthz</c> and exits 0 on 200, else 1, within
/// about <see cref="Timeout"/>. For the image's <c>HEALTHCHECK</c> and compose, which have no curl. It reads only the
/// listen settings, the way the host reads them (environment and appsettings files), and builds no host: no store is
/// opened, nothing is migrated, no port is taken, so a probe every few seconds costs a process start and one request.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private const string Usage = "Usage: Gateway healthcheck [--url <url>]  (GET /healthz on the gateway's own address; exit 0 on 200, else 1)";

    public static bool Matches(string[] args) => args.Length > 0 && string.Equals(args[0], Name, StringComparison.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (address, problem) = args switch
        {
            [_] => HealthCheckAddress.Resolve(ListenConfiguration()),
            [_, "--url", var url] => HealthCheckAddress.FromOption(url),
            [_, var option] when option.StartsWith("--url=", StringComparison.Ordinal) => HealthCheckAddress.FromOption(option["--url=".Length..]),
            _ => (null, Usage),
        };
        if (address is null)
        {
            await error.WriteLineAsync(problem);
            return problem == Usage ? 2 : 1;
        }

        // No proxy: the address is this container's own; an HTTP_PROXY in its environment must not reroute the probe.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                await output.WriteLineAsync($"healthy: GET {address} answered 200");
                return 0;
            }

            await error.WriteLineAsync($"unhealthy: GET {address} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            var reason = exception is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : exception.Message;
            await error.WriteLineAsync($"unhealthy: GET {address} failed: {reason}");
        }

        return 1;
    }

    /// <summary>
    /// The sources the web host reads listen settings from, in its order (later wins): DOTNET_ and ASPNETCORE_
    /// variables, appsettings.json and appsettings.{environment}.json in the working directory (the content root),
    /// then unprefixed variables such as <c>Urls</c>.
    /// </summary>
    private static IConfiguration ListenConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspnet
            ? aspnet
            : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet : Environments.Production;
        return new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();
    }
}
