namespace Routescope.Gateway.Tests.Hostile;

/// <summary>One corpus file: a class of hostile requests.</summary>
public sealed record HostileCorpusFile
{
    public string? Description { get; init; }

    public required IReadOnlyList<HostileCase> Cases { get; init; }
}
