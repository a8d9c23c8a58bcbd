namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>One sample line of a Prometheus scrape: <c>name{label="value",…} 1.5</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}
