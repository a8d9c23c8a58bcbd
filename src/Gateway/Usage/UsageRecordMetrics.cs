using System.Diagnostics;
using System.Diagnostics.Metrics;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Money and time on the gateway's meter, counted from the usage records as they are made: one count per record, so
/// an abandoned attempt of a fallback chain (a record of its own) is counted once and a fallback never twice. Labelled
/// by served model (catalog models by name, any other as <c>other</c>), key group (the operator's) and outcome; never
/// by key id or name, which would be a series per key.
/// </summary>
internal sealed class UsageRecordMetrics
{
    private static readonly double[] SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180, 300, 600];
    private static readonly double[] OverheadBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ModelCatalog _catalog;
    private readonly Counter<long> _records;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _images;
    private readonly Counter<double> _upstreamCost;
    private readonly Counter<double> _chargebackCost;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstByte;
    private readonly Histogram<double> _overhead;

    public UsageRecordMetrics(IMeterFactory meters, ModelCatalog catalog)
    {
        _catalog = catalog;
        var meter = meters.Create(GatewayMeter.Name);
        _records = meter.CreateCounter<long>("gateway.usage.records",
            description: "Usage records by served model, key group, outcome and operation; outcome abandoned is an earlier attempt of a fallback chain, every other outcome one request.");
        _tokens = meter.CreateCounter<long>("gateway.usage.tokens",
            description: "Tokens as billed, by kind (input, cached_input, tool_use, output_text, thinking, output_image), served model, key group and outcome.");
        _images = meter.CreateCounter<long>("gateway.usage.images", description: "Final images returned, by served model, key group and outcome.");
        _upstreamCost = meter.CreateCounter<double>("gateway.usage.upstream_cost",
            description: "What the relay bills (prices x channel ratio), in the currency label, by served model, key group, outcome and cost_basis (measured, estimated, unmetered).");
        _chargebackCost = meter.CreateCounter<double>("gateway.usage.chargeback_cost",
            description: "What the key's team is charged (upstream cost x group ratio), in the currency label, by served model, key group, outcome and cost_basis.");
        _fallbacks = meter.CreateCounter<long>("gateway.fallbacks",
            description: "Requests that moved on from the requested model, by from_model (requested), to_model (the last model tried) and outcome.");
        _duration = meter.CreateHistogram<double>("gateway.upstream.duration", unit: "s",
            description: "From forwarding to the answer's end (every attempt of the chain), by served model and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _timeToFirstByte = meter.CreateHistogram<double>("gateway.upstream.time_to_first_byte", unit: "s",
            description: "From forwarding to the answer's first body byte reaching the client (every attempt of the chain), by served model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _overhead = meter.CreateHistogram<double>("gateway.overhead", unit: "s",
            description: "The gateway's own time before forwarding, from the request body's last byte (inspection, durability gate, budget reservation), by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OverheadBuckets });
    }

    /// <summary>Counts one record: the request's own or an abandoned attempt's.</summary>
    public void Record(UsageRecord record)
    {
        var model = _catalog.Label(record.ServedModel);
        var labels = new TagList { { "model", model }, { "group", record.KeyGroup }, { "outcome", record.Outcome } };
        if (_records.Enabled)
        {
            var tags = labels;
            tags.Add("operation", record.Operation);
            _records.Add(1, tags);
        }

        if (_tokens.Enabled)
        {
            Tokens(labels, "input", record.PromptTokens - record.CachedContentTokens);
            Tokens(labels, "cached_input", record.CachedContentTokens);
            Tokens(labels, "tool_use", record.ToolUsePromptTokens);
            Tokens(labels, "output_text", record.OutputTextTokens);
            Tokens(labels, "thinking", record.ThoughtsTokens);
            Tokens(labels, "output_image", record.OutputImageTokens);
        }

        if (record.Images > 0)
        {
            _images.Add(record.Images, labels);
        }

        var money = labels;
        money.Add("currency", record.Currency);
        money.Add("cost_basis", record.CostBasis);
        // Unpriced records have no cost (never 0): they add nothing, and their tokens are counted above.
        if (record.UpstreamCost is { } upstream)
        {
            _upstreamCost.Add((double)upstream, money);
        }

        if (record.ChargebackCost is { } chargeback)
        {
            _chargebackCost.Add((double)chargeback, money);
        }
    }

    /// <summary>What only the request's own record says: its chain, its timings and the gateway's own time before forwarding.</summary>
    public void Request(UsageRecord record, TimeSpan? overhead)
    {
        var model = _catalog.Label(record.ServedModel);
        if (record.FallbackChain.Length > 0)
        {
            var tags = new TagList { { "from_model", _catalog.Label(record.RequestedModel) }, { "to_model", model }, { "outcome", record.Outcome } };
            _fallbacks.Add(1, tags);
        }

        _duration.Record(record.LatencyMs / 1000, new TagList { { "model", model }, { "outcome", record.Outcome } });
        if (record.TimeToFirstByteMs is { } firstByte)
        {
            _timeToFirstByte.Record(firstByte / 1000, new KeyValuePair<string, object?>("model", model));
        }

        if (overhead is { } own)
        {
            _overhead.Record(own.TotalSeconds, new KeyValuePair<string, object?>("operation", record.Operation));
        }
    }

    private void Tokens(TagList labels, string kind, long count)
    {
        if (count > 0)
        {
            labels.Add("kind", kind);
            _tokens.Add(count, labels);
        }
    }
}
