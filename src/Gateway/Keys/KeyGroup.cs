namespace Routescope.Gateway.Keys;

/// <summary>A key group: a name keys share, and the policy defaults they inherit.</summary>
internal sealed record KeyGroup
{
    public required string Name { get; init; }

    public KeyPolicy Policy { get; init; } = KeyPolicy.None;

    public DateTimeOffset? UpdatedAt { get; init; }
}
