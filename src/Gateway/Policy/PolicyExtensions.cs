namespace Routescope.Gateway.Policy;

internal static class PolicyExtensions
{
    public static IServiceCollection AddGatewayPolicy(this IServiceCollection services)
    {
        services.AddSingleton<PolicyMetrics>();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = KeyConcurrencyLimiter.Create();
            limiter.OnRejected = KeyConcurrencyLimiter.RejectAsync;
            limiter.AddPolicy<string, KeyRateLimiterPolicy>(KeyRateLimiterPolicy.Name);
        });
        return services;
    }

    /// <summary>The key's allow-list and disabled flag, right after the path guard.</summary>
    public static IReverseProxyApplicationBuilder UseKeyPolicy(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<KeyPolicyMiddleware>();
        return proxy;
    }
}
