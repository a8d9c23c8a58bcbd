namespace Routescope.Gateway.Usage.Periods;

/// <summary>How complete the store is at <see cref="Now"/>: everything that ended before <see cref="Watermark"/> is in it.</summary>
internal sealed record BacklogMeasure
{
    public required DateTimeOffset Now { get; init; }

    /// <summary>The time up to which the store holds every record; at most <see cref="Now"/>.</summary>
    public required DateTimeOffset Watermark { get; init; }

    /// <summary>Records on their way to the store: this replica's and what the live others reported.</summary>
    public required long Records { get; init; }
}
