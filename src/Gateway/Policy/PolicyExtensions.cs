using Microsoft.AspNetCore.RateLimiting;

using Routescope.Gateway.Policy.Budgets;
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
        services.AddOptions<BudgetOptions>()
            .Bind(configuration.GetSection(BudgetOptions.SectionName))
            // A reservation must outlive the longest request (the route's Timeout bounds the exchange, the drain after
            // a client left included), or a slow request's claim would lapse while it still runs and others spend it.
            .Validate(options => options.ReservationLifetime > LongestRouteTimeout(configuration),
                "Budgets:ReservationLifetime must be longer than the longest route Timeout (ReverseProxy:Routes:*:Timeout, 00:10:00 by default).")
            .Validate(options => options.WebhookTimeout > TimeSpan.Zero, "Budgets:WebhookTimeout must be positive.")
            .Validate(options => options.WebhookUrl is null || (options.WebhookUrl.IsAbsoluteUri && options.WebhookUrl.Scheme is "http" or "https"),
                "Budgets:WebhookUrl must be an absolute http or https URL.")
            .ValidateOnStart();
        services.AddSingleton<BudgetEstimator>();
        services.AddSingleton<BudgetMetrics>();
        services.AddSingleton<BudgetNotifier>();
        services.AddHttpClient(BudgetNotifier.HttpClientName);
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

    /// <summary>
    /// The longest <c>Timeout</c> configured on a YARP route, and never less than the 10-minute default (a route that
    /// sets none has it): erring long only keeps a lost reservation counted a little longer.
    /// </summary>
    private static TimeSpan LongestRouteTimeout(IConfiguration configuration)
    {
        var longest = TimeSpan.FromMinutes(10);
        foreach (var route in configuration.GetSection("ReverseProxy:Routes").GetChildren())
        {
            if (TimeSpan.TryParse(route["Timeout"], System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > longest)
            {
                longest = timeout;
            }
        }

        return longest;
    }

    /// <summary>The key's allow-list and disabled flag, right after the path guard.</summary>
    public static IReverseProxyApplicationBuilder UseKeyPolicy(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<KeyPolicyMiddleware>();
        return proxy;
    }

    /// <summary>The model list cut to the key's allow-list; before inspection, around everything that forwards.</summary>
    public static IReverseProxyApplicationBuilder UseModelListFilter(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<ModelListFilterMiddleware>();
        return proxy;
    }

    /// <summary>A budgeted key's reservation, once usage can be kept and before metering starts the record that settles it.</summary>
    public static IReverseProxyApplicationBuilder UseBudgets(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<BudgetMiddleware>();
        return proxy;
    }
}
