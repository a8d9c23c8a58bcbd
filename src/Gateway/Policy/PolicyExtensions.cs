using Microsoft.AspNetCore.RateLimiting;

using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Policy;

internal static class PolicyExtensions
{
    public static IServiceCollection AddGatewayPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PolicyMetrics>();
        services.AddOptions<ReplicaOptions>()
            .Bind(configuration.GetSection(ReplicaOptions.SectionName))
            .Validate(options => options.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), "Replicas:HeartbeatInterval must be at least 00:00:00.1.")
            .ValidateOnStart();
        services.AddSingleton<ReplicaShare>();
        services.AddHostedService(provider => provider.GetRequiredService<ReplicaShare>());
        services.AddRateLimiter(limiter =>
        {
            // The global limiter is the keys' concurrency, and the one endpoint policy (rpm) has its own handler.
            limiter.OnRejected = KeyConcurrencyLimiter.RejectAsync;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, KeyRateLimiterPolicy>(KeyRateLimiterPolicy.Name);
        });
        services.AddOptions<RateLimiterOptions>().Configure<ReplicaShare>((limiter, replicas) => limiter.GlobalLimiter = KeyConcurrencyLimiter.Create(replicas));
        return services;
    }

    /// <summary>The key's allow-list and disabled flag, right after the path guard.</summary>
    public static IReverseProxyApplicationBuilder UseKeyPolicy(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<KeyPolicyMiddleware>();
        return proxy;
    }
}
