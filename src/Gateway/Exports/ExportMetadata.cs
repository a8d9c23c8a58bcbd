namespace Routescope.Gateway.Exports;

/// <summary>
/// What an export says about itself: its range and grouping, and how complete it is. Records can arrive late (from
/// the queue, the journal, a spill, another replica's backlog): everything billed before <see cref="Watermark"/> is
/// in it, and <see cref="Backlog"/> records were still on their way to the store when it was made.
/// </summary>
internal sealed record ExportMetadata
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required string GroupBy { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The time up to which the export is complete.</summary>
    public required DateTimeOffset Watermark { get; init; }

    /// <summary>Records not yet in the store when the export was made.</summary>
    public required long Backlog { get; init; }

    /// <summary>Whether the whole range is before the watermark: no record can still arrive for it (except as a correction).</summary>
    public bool Complete => Watermark >= To;
}
