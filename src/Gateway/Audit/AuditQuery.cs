namespace Routescope.Gateway.Audit;

/// <summary>Which entries <c>GET /admin/audit</c> reads, newest first: a key's, in a time range, before a sequence number, at most <see cref="Limit"/>.</summary>
internal sealed record AuditQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public string? KeyId { get; init; }

    /// <summary>Inclusive.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries older than this one (the paging cursor: the last id of the page before).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = DefaultLimit;
}
