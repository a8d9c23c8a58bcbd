namespace Routescope.Gateway.Tests.Observability;

/// <summary>Prometheus's promtool (Debian's prometheus package, which .ci/run installs), or null where it is missing.</summary>
public static class Promtool
{
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => System.IO.Path.Combine(directory, "promtool"))
        .FirstOrDefault(File.Exists);
}
