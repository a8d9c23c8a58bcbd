namespace Routescope.Gateway.Keys;

/// <summary>The authenticated caller of a proxied request, as later pipeline steps (limits, usage) need it.</summary>
internal sealed record GatewayCaller
{
    public required string KeyId { get; init; }
    public required string KeyName { get; init; }
    public required string KeyPrefix { get; init; }
    public required string Group { get; init; }
}
