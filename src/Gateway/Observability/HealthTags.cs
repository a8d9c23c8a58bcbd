namespace Routescope.Gateway.Observability;

internal static class HealthTags
{
    /// <summary>Checks that decide readiness (<c>/readyz</c>); liveness (<c>/healthz</c>) runs none.</summary>
    public const string Ready = "ready";
}
