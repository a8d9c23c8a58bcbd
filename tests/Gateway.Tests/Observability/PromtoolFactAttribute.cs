namespace Routescope.Gateway.Tests.Observability;

/// <summary>
/// A test that needs promtool: skipped where it is missing, except in CI (<c>CI=true</c>, as .ci/run sets), where it
/// runs and so fails without it: the check that Prometheus accepts the alert rules must not quietly stop running.
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            Skip = "promtool is not installed; .ci/run installs Debian's prometheus package (apt-get install -y --no-install-recommends prometheus).";
        }
    }
}
