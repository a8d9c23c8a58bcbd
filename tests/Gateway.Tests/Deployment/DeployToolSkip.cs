namespace Routescope.Gateway.Tests.Deployment;

/// <summary>Why a deployment test is skipped here: null when its tools are on PATH, and always null in CI.</summary>
internal static class DeployToolSkip
{
    public static string? Reason(string[] tools)
    {
        var missing = tools.Where(tool => DeployTools.Find(tool) is null).ToArray();
        if (missing.Length == 0 || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            return null;
        }

        return $"Not on PATH: {string.Join(", ", missing)}. .ci/run installs them (kubectl comes with the machine image; apt-get install docker-compose nodejs npm).";
    }
}
