namespace Routescope.Gateway.Hosting;

/// <summary>
/// The addresses the gateway listens on: the public ones (proxy, health) and, with <c>Admin:Urls</c> set, the admin ones
/// (admin API, metrics, health), which must have ports of their own: a request's side is told by the port its connection
/// arrived on, never by its Host header, which any client can write.
/// </summary>
internal sealed class ListenPlan
{
    public const string AdminUrlsSetting = "Admin:Urls";

    /// <summary>The public addresses, as configured (empty when Kestrel:Endpoints decide them).</summary>
    public IReadOnlyList<string> Public { get; set; } = [];

    /// <summary><c>Admin:Urls</c>, split at <c>;</c>; empty: one port serves everything.</summary>
    public IReadOnlyList<string> Admin { get; set; } = [];

    public bool SeparateAdmin => Admin.Count > 0;

    /// <summary>The local ports of the admin addresses.</summary>
    public IReadOnlySet<int> AdminPorts => Admin.Select(PortOf).Where(port => port > 0).ToHashSet();

    /// <summary>What is wrong with <c>Admin:Urls</c>, or null.</summary>
    public string? Problem
    {
        get
        {
            foreach (var url in Admin)
            {
                if (PortOf(url) <= 0)
                {
                    return $"Admin:Urls: '{url}' must be an http(s)://host:port address with a port of its own (not 0, not a Unix socket); several are separated by ';'.";
                }
            }

            var shared = Public.Select(PortOf).Where(AdminPorts.Contains).ToArray();
            return shared.Length > 0
                ? $"Admin:Urls: port {shared[0]} is also a public port; the admin port must be a port of its own (e.g. http://0.0.0.0:9090)."
                : null;
        }
    }

    public static IReadOnlyList<string> Split(string? urls) =>
        string.IsNullOrWhiteSpace(urls) ? [] : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The port of a listen address (<c>http://*:9090</c>, <c>http://[::]:9090</c>, …); 0 when it has none that can be told apart.</summary>
    private static int PortOf(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            return address.IsUnixPipe || address.IsNamedPipe || address.Scheme is not ("http" or "https") ? 0 : address.Port;
        }
        catch (FormatException)
        {
            return 0;
        }
    }
}
