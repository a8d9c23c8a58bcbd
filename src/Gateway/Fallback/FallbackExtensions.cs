using Yarp.ReverseProxy.Transforms.Builder;

namespace Routescope.Gateway.Fallback;

internal static class FallbackExtensions
{
    private static readonly int[] NeverRetried = [400, 401, 403];

    public static IServiceCollection AddGatewayFallback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FallbackOptions>()
            .Bind(configuration.GetSection(FallbackOptions.SectionName))
            .PostConfigure(options =>
            {
                if (options.RetryableStatuses.Length == 0)
                {
                    options.RetryableStatuses = FallbackOptions.DefaultRetryableStatuses;
                }
            })
            .Validate(options => options.RetryableStatuses.All(status => status is >= 400 and <= 599),
                "Fallback:RetryableStatuses must be HTTP error statuses (400-599).")
            .Validate(options => !options.RetryableStatuses.Intersect(NeverRetried).Any(),
                "Fallback:RetryableStatuses must not contain 400, 401 or 403: those are the caller's errors, another model would fail the same way.")
            .Validate(options => options.Breaker.FailureThreshold >= 1, "Fallback:Breaker:FailureThreshold must be at least 1.")
            .Validate(options => options.Breaker.Window > TimeSpan.Zero && options.Breaker.Cooldown > TimeSpan.Zero,
                "Fallback:Breaker:Window and Fallback:Breaker:Cooldown must be positive.")
            .ValidateOnStart();
        services.AddSingleton<FallbackMetrics>();
        services.AddSingleton<CircuitBreakers>();
        services.AddSingleton<FallbackPlanner>();
        services.AddSingleton<ITransformProvider, FallbackTransformProvider>();
        return services;
    }

    public static IReverseProxyApplicationBuilder UseFallback(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<FallbackMiddleware>();
        return proxy;
    }
}
