using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Periods;

/// <summary>
/// The usage gateway with no grace (a past month closes as soon as nothing of it waits) and a background check too
/// rare to run during a test: months close when a test asks for them, and only then.
/// </summary>
public class PeriodFixture : UsageFixture
{
    /// <summary>The period settings, added to <paramref name="settings"/> (for a gateway started again on the same store).</summary>
    public static Dictionary<string, string?> WithPeriods(Dictionary<string, string?> settings)
    {
        settings["Usage:PeriodGrace"] = "00:00:00";
        settings["Usage:PeriodCheckInterval"] = "01:00:00";
        return settings;
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings) => base.CreateFactory(WithPeriods(settings));
}

/// <summary>The same on a PostgreSQL database of its own.</summary>
public sealed class PostgresPeriodFixture : PeriodFixture
{
    protected override bool OnPostgres => true;
}
