using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy;

/// <summary>
/// Proxy step right after the path guard: a disabled key, a key whose stored policy (or its group's) cannot be read,
/// or a model outside the key's allow-list, is refused with 403 before anything is read or forwarded; and the fallback
/// chain learns which models the key may use, so it never moves to another.
/// </summary>
internal sealed partial class KeyPolicyMiddleware(RequestDelegate next, PolicyMetrics metrics, ILogger<KeyPolicyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var caller = context.Features.Get<CallerPolicy>();
        var policy = caller?.Effective ?? KeyPolicy.None;
        if (policy.Unreadable)
        {
            // Fail closed: its limits (a budget among them) are unknown, and running without them could spend anything.
            LogUnreadablePolicy(logger, caller!.KeyId);
            metrics.Refused(PolicyReasons.Unreadable, context);
            return GeminiError.WriteAsync(context, StatusCodes.Status403Forbidden,
                "This API key's policy cannot be read, so its requests are refused. Ask the gateway's operators to set it again.");
        }

        if (policy.Disabled == true)
        {
            metrics.Refused(PolicyReasons.Disabled, context);
            return GeminiError.WriteAsync(context, StatusCodes.Status403Forbidden, "This API key is disabled. Ask its owner to enable it.");
        }

        if (policy.AllowedModels is { } allowed)
        {
            if (request.Route.Model is { } model && !ModelPattern.Allows(allowed, model))
            {
                metrics.Refused(PolicyReasons.Model, context);
                return GeminiError.WriteAsync(context, StatusCodes.Status403Forbidden, $"This API key may not use model {model}.");
            }

            request.ModelAllowed = candidate => ModelPattern.Allows(allowed, candidate);
        }

        return next(context);
    }

    [LoggerMessage(EventId = EventIds.PolicyUnreadable, Level = LogLevel.Error,
        Message = "Refused a request of key {KeyId}: its stored policy or its group's is not a readable policy; PATCH the key or PUT its group to set it again")]
    private static partial void LogUnreadablePolicy(ILogger logger, string keyId);
}
