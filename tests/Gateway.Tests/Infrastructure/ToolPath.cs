namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The external tools some tests need (kubectl, docker-compose, node, promtool, soffice): where they are on PATH, and
/// why a test that needs them is skipped here. Never skipped in CI (<c>CI=true</c>, as .ci/run sets), where the test
/// runs and so fails without its tool: a check that a tool does must not quietly stop running.
/// </summary>
public static class ToolPath
{
    /// <summary>The executable's full path on PATH, or null.</summary>
    public static string? Find(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, tool))
        .FirstOrDefault(File.Exists);

    /// <summary>Why a test needing <paramref name="tools"/> is skipped: null when they are all on PATH, and always null in CI.</summary>
    public static string? SkipReason(string[] tools)
    {
        var missing = tools.Where(tool => Find(tool) is null).ToArray();
        if (missing.Length == 0 || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            return null;
        }

        return $"Not on PATH: {string.Join(", ", missing)}. .ci/run installs them (kubectl comes with the machine image; "
            + "apt-get install docker-compose nodejs npm prometheus libreoffice-calc-nogui).";
    }
}
