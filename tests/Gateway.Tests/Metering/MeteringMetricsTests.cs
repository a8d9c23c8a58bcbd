using System.Diagnostics.Metrics;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>What metering could not read, or could not trust, is counted once per response.</summary>
public sealed class MeteringMetricsTests
{
    [Fact]
    public void Unmetered_responses_and_suspect_usage_are_counted_once_each()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new MeteringMetrics(services.GetRequiredService<IMeterFactory>());
        var counted = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("gateway.metering.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            counted.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        metrics.Record(new ResponseObservation { Unmetered = true, ContentEncoding = "zstd" });
        metrics.Record(new ResponseObservation { Unmetered = true, ContentEncoding = "gzip" });
        metrics.Record(new ResponseObservation { UsageInvalid = true, UsageTorn = true, Usage = new TokenCounts { PromptTokens = 1, TotalTokens = 2, ReportsTotal = true } });
        metrics.Record(new ResponseObservation { Usage = new TokenCounts { PromptTokens = 1 } });

        Assert.Equal(
            [
                ("gateway.metering.unmetered", 1L, "content_encoding=zstd,reason=unsupported"),
                ("gateway.metering.unmetered", 1L, "content_encoding=gzip,reason=corrupt"),
                ("gateway.metering.usage_anomalies", 1L, "anomaly=total_mismatch"),
                ("gateway.metering.usage_anomalies", 1L, "anomaly=invalid_count"),
                ("gateway.metering.usage_anomalies", 1L, "anomaly=torn"),
            ],
            counted);
    }
}
