using System.Diagnostics;
using System.Diagnostics.Metrics;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering.Decoding;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Metering;

/// <summary>Instruments of metering, on the gateway's meter: responses it could not meter, and usage it could not trust.</summary>
internal sealed class MeteringMetrics
{
    private readonly Counter<long> _unmetered;
    private readonly Counter<long> _usageAnomalies;

    public MeteringMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayMeter.Name);
        _unmetered = meter.CreateCounter<long>("gateway.metering.unmetered", description: "Responses whose body metering could not read, by content encoding and reason (unsupported, corrupt).");
        _usageAnomalies = meter.CreateCounter<long>("gateway.metering.usage_anomalies", description: "Responses whose reported usage is suspect, by anomaly (total_mismatch, invalid_count, torn).");
    }

    /// <summary>Counts what is wrong with one response, once each.</summary>
    public void Record(ResponseObservation seen)
    {
        if (seen.Unmetered && _unmetered.Enabled)
        {
            var reason = ContentCodings.Parse(seen.ContentEncoding) == ContentCoding.Unsupported ? "unsupported" : "corrupt";
            var tags = new TagList { { "content_encoding", ContentCodings.Label(seen.ContentEncoding) }, { "reason", reason } };
            _unmetered.Add(1, tags);
        }

        if (seen.Usage is { TotalMatches: false })
        {
            Anomaly("total_mismatch");
        }

        if (seen.UsageInvalid)
        {
            Anomaly("invalid_count");
        }

        if (seen.UsageTorn)
        {
            Anomaly("torn");
        }
    }

    private void Anomaly(string anomaly)
    {
        if (_usageAnomalies.Enabled)
        {
            _usageAnomalies.Add(1, new KeyValuePair<string, object?>("anomaly", anomaly));
        }
    }
}
