using System.Collections.Immutable;

namespace Routescope.Gateway.Exports;

/// <summary>The grouped export's and the summary's columns, the same whatever the grouping (dimensions not grouped by stay empty).</summary>
internal static class AggregateColumns
{
    public static readonly ImmutableArray<ExportColumn<UsageAggregate>> All =
    [
        new(nameof(UsageAggregate.KeyId), ExportKind.Text, "The gateway key's id, when grouped by key.", r => r.KeyId),
        new(nameof(UsageAggregate.KeyPrefix), ExportKind.Text, "The key's first characters, when grouped by key.", r => r.KeyPrefix),
        new(nameof(UsageAggregate.KeyName), ExportKind.Text, "The key's name, when grouped by key.", r => r.KeyName),
        new(nameof(UsageAggregate.KeyGroup), ExportKind.Text, "The key's billing group, when grouped by key or group.", r => r.KeyGroup),
        new(nameof(UsageAggregate.Model), ExportKind.Text, "The served model (whose prices apply), when grouped by model.", r => r.Model),
        new(nameof(UsageAggregate.RequestedModel), ExportKind.Text, "The model the clients asked for, when grouped by requestedModel.", r => r.RequestedModel),
        new(nameof(UsageAggregate.Day), ExportKind.Text, "The UTC day (yyyy-MM-dd) of billed_at, when grouped by day.", r => r.Day),
        new(nameof(UsageAggregate.Month), ExportKind.Text, "The UTC month (yyyy-MM) of billed_at, when grouped by month or day.", r => r.Month),
        new(nameof(UsageAggregate.PeriodStart), ExportKind.Time, "The start of what the row covers: its day or month, else the export's from, within the export's range.", r => r.PeriodStart),
        new(nameof(UsageAggregate.PeriodEnd), ExportKind.Time, "The exclusive end of what the row covers.", r => r.PeriodEnd),
        new(nameof(UsageAggregate.Currency), ExportKind.Text, "The currency of every amount in the row; currencies are never summed together.", r => r.Currency),
        new(nameof(UsageAggregate.ChannelRatio), ExportKind.Decimal, "The channel ratio every record of the row applied (a change of ratio starts a new row).", r => r.ChannelRatio),
        new(nameof(UsageAggregate.GroupRatio), ExportKind.Decimal, "The group ratio every record of the row applied: upstream_cost x group_ratio = chargeback_cost.", r => r.GroupRatio),
        new(nameof(UsageAggregate.Requests), ExportKind.Integer, "Client requests.", r => r.Requests),
        new(nameof(UsageAggregate.AbandonedAttempts), ExportKind.Integer, "Attempts given up on after the upstream had them (billed, records of their own).", r => r.AbandonedAttempts),
        new(nameof(UsageAggregate.Corrections), ExportKind.Integer, "Records that arrived after their month had closed and count in this period instead.", r => r.Corrections),
        new(nameof(UsageAggregate.PromptTokens), ExportKind.Integer, "Prompt tokens, cached ones included.", r => r.PromptTokens),
        new(nameof(UsageAggregate.CachedContentTokens), ExportKind.Integer, "Cached prompt tokens (part of prompt_tokens).", r => r.CachedContentTokens),
        new(nameof(UsageAggregate.ToolUsePromptTokens), ExportKind.Integer, "Tool-use prompt tokens.", r => r.ToolUsePromptTokens),
        new(nameof(UsageAggregate.CandidatesTokens), ExportKind.Integer, "Output tokens, text and image.", r => r.CandidatesTokens),
        new(nameof(UsageAggregate.ThoughtsTokens), ExportKind.Integer, "Thinking tokens.", r => r.ThoughtsTokens),
        new(nameof(UsageAggregate.OutputTextTokens), ExportKind.Integer, "Text output tokens.", r => r.OutputTextTokens),
        new(nameof(UsageAggregate.OutputImageTokens), ExportKind.Integer, "Image output tokens.", r => r.OutputImageTokens),
        new(nameof(UsageAggregate.TotalTokens), ExportKind.Integer, "Total tokens as reported.", r => r.TotalTokens),
        new(nameof(UsageAggregate.Images), ExportKind.Integer, "Final images returned.", r => r.Images),
        new(nameof(UsageAggregate.Refusals), ExportKind.Integer, "Records refused for safety (billed, no image).", r => r.Refusals),
        new(nameof(UsageAggregate.UnpricedRecords), ExportKind.Integer, "Records of models without prices: in the token sums, not in the costs.", r => r.UnpricedRecords),
        new(nameof(UsageAggregate.UpstreamCost), ExportKind.Money, "What the relay bills: upstream_measured_cost + upstream_estimated_cost.", r => r.UpstreamCost),
        new(nameof(UsageAggregate.UpstreamMeasuredCost), ExportKind.Money, "Upstream cost of records whose usage the upstream reported.", r => r.UpstreamMeasuredCost),
        new(nameof(UsageAggregate.UpstreamEstimatedCost), ExportKind.Money, "Upstream cost of records resting on estimates.", r => r.UpstreamEstimatedCost),
        new(nameof(UsageAggregate.ChargebackCost), ExportKind.Money, "What the teams are charged: chargeback_measured_cost + chargeback_estimated_cost.", r => r.ChargebackCost),
        new(nameof(UsageAggregate.ChargebackMeasuredCost), ExportKind.Money, "Chargeback cost of records whose usage the upstream reported.", r => r.ChargebackMeasuredCost),
        new(nameof(UsageAggregate.ChargebackEstimatedCost), ExportKind.Money, "Chargeback cost of records resting on estimates.", r => r.ChargebackEstimatedCost),
        new(nameof(UsageAggregate.CostBasis), ExportKind.Text, "The weakest basis among the row's records: unpriced, unmetered, estimated, then measured.", r => r.CostBasis),
    ];
}
