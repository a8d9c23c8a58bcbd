namespace Routescope.Gateway.Observability;

/// <summary>What the health endpoints answer: an overall status and one line per check.</summary>
internal sealed record HealthBody(string Status, IReadOnlyDictionary<string, string> Checks)
{
    /// <summary><c>demo</c> while the gateway forwards to the built-in fake upstream, <c>upstream</c> otherwise (see <see cref="GatewayMode"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Mode { get; init; }
}
