using System.Data.Common;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Storage;

/// <summary>
/// The upstream cost of records kept before it was stored, for both stores' migration: the rule of
/// <see cref="UsageRecordCosts.Complete"/> (chargeback ÷ group ratio, or the prices again when the ratio was 0), read
/// from the columns this select names, so the migration does not depend on columns added after it.
/// </summary>
internal static class UpstreamCostBackfill
{
    public const string Select = """
        SELECT record_id, chargeback_cost, group_ratio, channel_ratio,
               input_per_million, cached_input_per_million, output_text_per_million, output_image_per_million, per_image_price,
               prompt_tokens, cached_content_tokens, tool_use_prompt_tokens, output_text_tokens, thoughts_tokens, output_image_tokens, images, image_size
        FROM usage_records WHERE chargeback_cost IS NOT NULL AND upstream_cost IS NULL
        """;

    /// <summary>The current row's record id and upstream cost.</summary>
    public static (string RecordId, decimal UpstreamCost) Read(DbDataReader row, Func<DbDataReader, int, decimal> money)
    {
        decimal? Price(int i) => row.IsDBNull(i) ? null : money(row, i);
        var groupRatio = money(row, 2);
        if (UsageRecordCosts.UpstreamFromChargeback(money(row, 1), groupRatio) is { } upstream)
        {
            return (row.GetString(0), upstream);
        }

        var input = Price(4) ?? 0;
        var prices = new AppliedPrices(input, Price(5) ?? input, Price(6) ?? 0, Price(7) ?? 0, Price(8));
        var usage = new BillableUsage
        {
            PromptTokens = row.GetInt64(9),
            CachedTokens = row.GetInt64(10),
            ToolUsePromptTokens = row.GetInt64(11),
            OutputTextTokens = row.GetInt64(12),
            ThoughtsTokens = row.GetInt64(13),
            OutputImageTokens = row.GetInt64(14),
            Images = row.GetInt32(15),
            ImageSize = row.IsDBNull(16) ? null : row.GetString(16),
        };
        return (row.GetString(0), CostCalculator.UpstreamCost(prices, usage, money(row, 3)));
    }
}
