using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>One export being written: what was asked, what it says about itself, and the records, streamed from the store.</summary>
internal sealed record ExportRequest(UsageQuery Query, ExportMetadata Metadata, IAsyncEnumerable<UsageRecord> Records)
{
    /// <summary>The records' groups for the query's grouping.</summary>
    public IAsyncEnumerable<UsageAggregate> Aggregates(CancellationToken cancellationToken) =>
        UsageAggregator.AggregateAsync(Records, Query.Grouping, Query.From, Query.To, cancellationToken);
}
