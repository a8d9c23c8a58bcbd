using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

internal static class UsageExtensions
{
    public static IServiceCollection AddGatewayUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsageOptions>()
            .Bind(configuration.GetSection(UsageOptions.SectionName))
            .Validate(options => options.QueueCapacity >= 1 && options.BatchSize >= 1, "Usage:QueueCapacity and Usage:BatchSize must be at least 1.")
            .Validate(options => options.ReplayInterval > TimeSpan.Zero, "Usage:ReplayInterval must be positive.")
            .Validate(options => options.DrainMaxBytes >= 0 && options.DrainTimeout >= TimeSpan.Zero && options.DrainTimeout <= TimeSpan.FromDays(1),
                "Usage:DrainMaxBytes must not be negative and Usage:DrainTimeout must be between 0 and 1.00:00:00.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.SpillFileName) && options.SpillFileName.IndexOfAny(['/', '\\']) < 0,
                "Usage:SpillFileName must be a plain file name (it lives in the data directory).")
            .ValidateOnStart();
        services.AddSingleton<UsageSpill>();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<UsageSink>();
        services.AddSingleton<IUsageSink>(provider => provider.GetRequiredService<UsageSink>());
        services.AddHostedService(provider => provider.GetRequiredService<UsageSink>());
        services.AddSingleton<UsageExporter>();
        services.AddSingleton<UsageRecordFactory>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, UsageJsonContext.Default));
        services.AddHealthChecks().AddCheck<UsageBacklogHealthCheck>("usage", tags: [HealthTags.Ready]);
        return services;
    }
}
