using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Inspection.Validation;

/// <summary>What the validator judges: the request's shape against the capabilities of the model it names.</summary>
internal sealed record InspectionSubject
{
    public required string Model { get; init; }
    public required GeminiOperation Operation { get; init; }
    public required RequestShape Shape { get; init; }

    /// <summary>Null for a model outside the catalog: only the generic checks apply.</summary>
    public ModelOptions? Capabilities { get; init; }

    /// <summary>Capability rules apply to generation; countTokens only has to be a well-formed request.</summary>
    public bool ChecksCapabilities => Capabilities is not null && Operation.IsGeneration();
}
