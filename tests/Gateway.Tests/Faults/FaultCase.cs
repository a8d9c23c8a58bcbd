using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Faults;

/// <summary>
/// One upstream fault and everything the gateway must make of it: what the client gets, the chain it took (the
/// <c>x-gateway-fallback</c> header), which models the fake and the raw upstream were asked for, and the usage record.
/// </summary>
public sealed record FaultCase
{
    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary>The model asked for; the fault is steered to <see cref="FaultedModel"/> only.</summary>
    public required string Model { get; init; }

    public required string FaultedModel { get; init; }

    /// <summary>streamGenerateContent with <c>alt=sse</c> instead of generateContent.</summary>
    public bool Stream { get; init; }

    /// <summary>Steering headers for the fake (<see cref="Routescope.Fake.FakeHeaders"/>).</summary>
    public IReadOnlyDictionary<string, string> Steering { get; init; } = new Dictionary<string, string>();

    public RawFault? Raw { get; init; }

    /// <summary>The upstream refuses connections while the request is sent.</summary>
    public bool Refused { get; init; }

    public required ClientEnd Client { get; init; }

    /// <summary>The status of an <see cref="ClientEnd.Error"/>, or of a pass-through.</summary>
    public int Status { get; init; } = 200;

    /// <summary>The Content-Type of a pass-through.</summary>
    public string? ContentType { get; init; }

    /// <summary>The <c>x-gateway-fallback</c> header (and the record's chain); null: none.</summary>
    public string? Fallback { get; init; }

    /// <summary>The <c>x-gateway-model</c> header when headers arrive; null: none.</summary>
    public string? Served { get; init; }

    /// <summary>The models the fake was asked for, in order.</summary>
    public IReadOnlyList<string> FakeModels { get; init; } = [];

    /// <summary>The models the raw upstream faulted, in order.</summary>
    public IReadOnlyList<string> RawModels { get; init; } = [];

    public required string Outcome { get; init; }
    public required string CostBasis { get; init; }

    /// <summary>Whether the request's record carries a cost above zero.</summary>
    public required bool Costs { get; init; }

    /// <summary>Records of earlier attempts the upstream got in full and never answered (each estimated, at a cost).</summary>
    public int Abandoned { get; init; }

    public override string ToString() => Kind + " / " + Name;
}
