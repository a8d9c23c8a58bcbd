namespace Routescope.Gateway.Observability;

/// <summary>What the health endpoints answer: an overall status and one line per check.</summary>
internal sealed record HealthBody(string Status, IReadOnlyDictionary<string, string> Checks);
