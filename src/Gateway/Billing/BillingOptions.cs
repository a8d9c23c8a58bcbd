namespace Routescope.Gateway.Billing;

/// <summary>
/// The <c>Billing</c> section. As the Routescope document says, billing follows the model's price and ratios: each
/// upstream channel (a YARP cluster) and each key group has a ratio, 1.0 unless configured.
/// </summary>
internal sealed class BillingOptions
{
    public const string SectionName = "Billing";

    public string Currency { get; set; } = "USD";

    /// <summary>Models outside the catalog: refused unless the operator opts in to recording them unpriced.</summary>
    public UnpricedModels UnpricedModels { get; set; } = UnpricedModels.Refuse;

    /// <summary>
    /// A ratio of 0 makes a channel or a group free: every record of it costs $0 while the upstream still bills the
    /// work. Refused at start unless this says it is meant.
    /// </summary>
    public bool AllowZeroRatios { get; set; }

    /// <summary>Ratio per channel, by YARP cluster id.</summary>
    public Dictionary<string, decimal> ChannelRatios { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ratio per key group.</summary>
    public Dictionary<string, decimal> GroupRatios { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public decimal ChannelRatio(string channel) => ChannelRatios.TryGetValue(channel, out var ratio) ? ratio : 1m;

    public decimal GroupRatio(string group) => GroupRatios.TryGetValue(group, out var ratio) ? ratio : 1m;
}
