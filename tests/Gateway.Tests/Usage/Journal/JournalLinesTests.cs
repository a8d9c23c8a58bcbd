using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Tests.Usage.Journal;

public sealed class JournalLinesTests
{
    [Fact]
    public void A_line_written_before_the_two_costs_keeps_its_cost_as_the_chargeback_and_gains_the_upstream_cost()
    {
        // An older build wrote one cost, the chargeback (× group ratio 0.8); its lines wait in journals and spills.
        var record = StoreContractTests.Record("req-old-cost", "k1", "gemini-2.5-flash-image", DateTimeOffset.UnixEpoch, 0.25m);
        var line = JsonNode.Parse(JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord))!.AsObject();
        line.Remove("upstreamCost");
        line.Remove("chargebackCost");
        line["cost"] = 0.25m;

        var read = JournalLines.Decode(Encoding.UTF8.GetBytes(line.ToJsonString()));

        Assert.NotNull(read);
        Assert.Equal((0.25m, 0.3125m), (read.ChargebackCost, read.UpstreamCost));
        Assert.Equal(record, read);
    }

    [Fact]
    public void A_line_of_a_free_group_recomputes_the_upstream_cost_from_its_own_prices()
    {
        var record = StoreContractTests.Record("req-free", "k1", "gemini-2.5-flash-image", DateTimeOffset.UnixEpoch, 0m) with { GroupRatio = 0m };
        var line = JsonNode.Parse(JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord))!.AsObject();
        line.Remove("upstreamCost");
        line.Remove("chargebackCost");
        line["cost"] = 0m;

        var read = JournalLines.Decode(Encoding.UTF8.GetBytes(line.ToJsonString()))!;

        Assert.Equal(UsageRecordCosts.Upstream(record), read.UpstreamCost);
        Assert.True(read.UpstreamCost > 0);
    }

    [Fact]
    public void New_lines_carry_both_costs_and_never_the_old_name()
    {
        var record = StoreContractTests.Record("req-new", "k1", "gemini-2.5-flash-image", DateTimeOffset.UnixEpoch, 0.25m);

        var text = Encoding.UTF8.GetString(JournalLines.Encode([record]).Span);

        Assert.Contains("\"upstreamCost\":0.3125", text, StringComparison.Ordinal);
        Assert.Contains("\"chargebackCost\":0.25", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"cost\"", text, StringComparison.Ordinal);
    }
}
