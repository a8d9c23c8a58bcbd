using Routescope.Gateway.Metering;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Storage;

namespace Routescope.Gateway.Usage;

internal static class UsageExtensions
{
    public static IServiceCollection AddGatewayUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsageOptions>()
            .Bind(configuration.GetSection(UsageOptions.SectionName))
            .Validate(options => options.QueueCapacity >= 1 && options.BatchSize >= 1, "Usage:QueueCapacity and Usage:BatchSize must be at least 1.")
            .Validate(options => options.ReplayInterval > TimeSpan.Zero, "Usage:ReplayInterval must be positive.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.SpillFileName) && options.SpillFileName.IndexOfAny(['/', '\\']) < 0,
                "Usage:SpillFileName must be a plain file name (it lives in the data directory).")
            .ValidateOnStart();
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.SectionName))
            .Validate(options => options.ChannelRatios.Values.All(r => r >= 0) && options.GroupRatios.Values.All(r => r >= 0),
                "Billing:ChannelRatios and Billing:GroupRatios must not be negative.")
            .Validate(options => options.Currency is { Length: 3 }, "Billing:Currency must be an ISO 4217 code such as USD.")
            .ValidateOnStart();
        if (StorageExtensions.Provider(configuration) == StoreProvider.PostgreSql)
        {
            services.AddSingleton<IUsageStore, PostgresUsageStore>();
        }
        else
        {
            services.AddSingleton<IUsageStore, SqliteUsageStore>();
        }

        services.AddSingleton<UsageSpill>();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<UsageSink>();
        services.AddSingleton<IUsageSink>(provider => provider.GetRequiredService<UsageSink>());
        services.AddHostedService(provider => provider.GetRequiredService<UsageSink>());
        services.AddSingleton<UsageExporter>();
        services.AddSingleton<MeteringMiddleware>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, UsageJsonContext.Default));
        services.AddHealthChecks().AddCheck<UsageBacklogHealthCheck>("usage", tags: [HealthTags.Ready]);
        return services;
    }

    public static IReverseProxyApplicationBuilder UseMetering(this IReverseProxyApplicationBuilder proxy)
    {
        var metering = proxy.ApplicationServices.GetRequiredService<MeteringMiddleware>();
        proxy.Use(metering.InvokeAsync);
        return proxy;
    }
}
