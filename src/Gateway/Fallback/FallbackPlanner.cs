using FluentValidation;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Validation;

namespace Routescope.Gateway.Fallback;

/// <summary>Plans a request's chain from the catalog, and fits the request to each model of it when the chain asks.</summary>
internal sealed class FallbackPlanner(ModelCatalog catalog, CircuitBreakers breakers, IValidator<InspectionSubject> validator, IOptions<FallbackOptions> options)
{
    /// <summary>The requested model first, as sent, then its configured fallbacks unless the request opted out.</summary>
    public FallbackChain Plan(GatewayRequest request, InspectedRequest inspected, bool optedOut)
    {
        var requested = request.Route.Model!;
        var fallbacks = optedOut || catalog.Find(requested) is not { } settings ? [] : settings.Fallback;
        // A key never falls back to a model it may not use.
        if (request.ModelAllowed is { } allowed)
        {
            fallbacks = [.. fallbacks.Where(allowed)];
        }

        var candidates = new ChainCandidate[1 + fallbacks.Count];
        candidates[0] = new ChainCandidate(requested);
        candidates[0].Fit(new BodyAdaptation { Model = requested, Body = inspected.Body, Shape = inspected.Shape });
        for (var i = 0; i < fallbacks.Count; i++)
        {
            candidates[i + 1] = new ChainCandidate(fallbacks[i]);
        }

        return new FallbackChain(this, request, candidates);
    }

    /// <summary>The request adapted to <paramref name="model"/>, provided the result passes that model's rules.</summary>
    public BodyAdaptation? Fit(GatewayRequest request, string model)
    {
        if (request.Inspected is not { } inspected
            || catalog.Find(model) is not { } target
            || BodyAdapter.Adapt(inspected, model, target, options.Value.OnIncompatible) is not { } adapted)
        {
            return null;
        }

        var subject = new InspectionSubject { Model = model, Operation = request.Route.Operation, Shape = adapted.Shape, Capabilities = target };
        return validator.Validate(subject).IsValid ? adapted : null;
    }

    public bool WouldAdmit(string model) => breakers.For(model).WouldAdmit;
}
