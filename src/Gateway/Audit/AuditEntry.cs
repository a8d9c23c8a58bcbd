namespace Routescope.Gateway.Audit;

/// <summary>
/// One audited change: when, who, what, to which key or group, and the fields it changed. Never the key or its hash:
/// the key id and name identify the key.
/// </summary>
internal sealed record AuditEntry
{
    /// <summary>The store's sequence number (0 before it is kept): newest first is highest first.</summary>
    public long Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public string? Origin { get; init; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }

    public string? KeyId { get; init; }

    public string? KeyName { get; init; }

    public string? Group { get; init; }

    public IReadOnlyList<AuditChange> Changes { get; init; } = [];

    /// <summary>An entry of <paramref name="actor"/>'s, at <paramref name="at"/> to the microsecond (what PostgreSQL keeps, so a read gives back what was written).</summary>
    public static AuditEntry Of(AuditActor actor, string action, DateTimeOffset at) => new()
    {
        At = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero),
        Actor = actor.Name,
        Origin = actor.Origin,
        Action = action,
    };
}
