using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Policy;

/// <summary>
/// Proxy step right after the path guard: a disabled key, or a model outside the key's allow-list, is refused with
/// 403 before anything is read or forwarded; and the fallback chain learns which models the key may use, so it never
/// moves to another.
/// </summary>
internal sealed class KeyPolicyMiddleware(RequestDelegate next, PolicyMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var policy = context.Features.Get<CallerPolicy>()?.Effective ?? KeyPolicy.None;
        if (policy.Disabled == true)
        {
            metrics.Refused(PolicyReasons.Disabled);
            return GeminiError.WriteAsync(context, StatusCodes.Status403Forbidden, "This API key is disabled. Ask its owner to enable it.");
        }

        if (policy.AllowedModels is { } allowed)
        {
            if (request.Route.Model is { } model && !ModelPattern.Allows(allowed, model))
            {
                metrics.Refused(PolicyReasons.Model);
                return GeminiError.WriteAsync(context, StatusCodes.Status403Forbidden, $"This API key may not use model {model}.");
            }

            request.ModelAllowed = candidate => ModelPattern.Allows(allowed, candidate);
        }

        return next(context);
    }
}
