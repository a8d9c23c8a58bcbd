using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Inspection;

/// <summary>A request that passed inspection: its buffered body and what was read from it, for the later steps.</summary>
internal sealed record InspectedRequest
{
    public required RequestBody Body { get; init; }
    public required RequestShape Shape { get; init; }
    public ModelOptions? Capabilities { get; init; }
}
