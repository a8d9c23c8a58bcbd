using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

using Serilog;

namespace Routescope.Gateway.Upstream;

internal static class UpstreamExtensions
{
    public const string ProxySectionName = "ReverseProxy";

    public static IServiceCollection AddGatewayUpstream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpstreamOptions>()
            .Bind(configuration.GetSection(UpstreamOptions.SectionName))
            .Configure(options =>
            {
                if (configuration["ROUTESCOPE_BASE_URL"] is { Length: > 0 } baseUrl)
                {
                    options.BaseUrl = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException(
                        "ROUTESCOPE_BASE_URL must be an absolute http(s) URL.");
                }

                // An empty secret (compose's ${ROUTESCOPE_API_KEY:-}, an empty Kubernetes secret) is no key, here or in
                // Upstream:ApiKey: decided once, so every reader sees null rather than judging blanks again.
                if (!string.IsNullOrWhiteSpace(configuration["ROUTESCOPE_API_KEY"]))
                {
                    options.ApiKey = configuration["ROUTESCOPE_API_KEY"];
                }
                else if (string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    options.ApiKey = null;
                }
            })
            .Validate(options => options.BaseUrl is null || options.BaseUrl.Scheme is "http" or "https",
                "ROUTESCOPE_BASE_URL (Upstream:BaseUrl) must be an absolute http(s) URL.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.ClusterId), "Upstream:ClusterId must name the YARP cluster of the Routescope relay.")
            .ValidateOnStart();

        services.AddSingleton(provider =>
        {
            var upstream = provider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
            return UpstreamMode.Decide(configuration[UpstreamMode.DemoVariable], upstream.ApiKey is not null, upstream.BaseUrl is not null,
                provider.GetRequiredService<IHostEnvironment>().IsDevelopment());
        });
        services.AddSingleton(provider => new GatewayMode(provider.GetRequiredService<UpstreamMode>().Demo));
        services.AddSingleton<DemoModeMetrics>();
        services.AddSingleton<UpstreamEndpoint>();
        services.AddSingleton<UpstreamRequestTransform>();
        services.AddRequestTimeouts();
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection(ProxySectionName))
            .AddConfigFilter<UpstreamConfigFilter>()
            .AddTransforms(context =>
            {
                // No X-Forwarded-*: the upstream learns nothing about callers or internal hosts.
                context.UseDefaultForwarders = false;
                context.RequestTransforms.Add(context.Services.GetRequiredService<UpstreamRequestTransform>());
                // Last, after any transform of the route's configuration: the gateway alone says where the request goes.
                context.RequestTransforms.Add(new UpstreamTargetTransform());
                context.ResponseTransforms.Add(new UpstreamStatusTransform(context.Services.GetRequiredService<IDiagnosticContext>()));
            });
        return services;
    }

    /// <summary>
    /// Null when the gateway may serve; else the one line a refused start prints: outside Development, no upstream key
    /// and no <c>GATEWAY_DEMO=true</c>. Commands (<c>keys list</c>, …) never ask: they need no upstream.
    /// </summary>
    public static string? UpstreamRefusal(this WebApplication app) => app.Services.GetRequiredService<UpstreamMode>().Refusal;

    /// <summary>Settles the upstream (starting the demo upstream if needed) before the routes are mapped.</summary>
    public static Task StartUpstreamAsync(this WebApplication app)
    {
        // The gauge exists from the start, so a scrape of a fresh demo shows 1 (and of a real gateway 0).
        app.Services.GetRequiredService<DemoModeMetrics>();
        return app.Services.GetRequiredService<UpstreamEndpoint>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>Right after <c>UseRequestTimeouts</c>: a deadline that ran out answers like Gemini, or cuts a started answer.</summary>
    public static WebApplication UseRouteDeadline(this WebApplication app)
    {
        app.UseMiddleware<RouteDeadlineMiddleware>();
        return app;
    }

    public static IReverseProxyApplicationBuilder UseUpstreamErrors(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<UpstreamErrorMiddleware>();
        return proxy;
    }

    public static IReverseProxyApplicationBuilder UseAttemptOutcomes(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<AttemptOutcomeMiddleware>();
        return proxy;
    }
}
