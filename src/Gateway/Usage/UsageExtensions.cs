using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Usage.Journal;
using Routescope.Gateway.Usage.Periods;

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
            .Validate(options => IsPlainName(options.SpillFileName) && IsPlainName(options.JournalDirectoryName),
                "Usage:SpillFileName and Usage:JournalDirectoryName must be plain names (they live in the data directory).")
            .Validate(options => options.JournalSegmentBytes >= 4096 && options.JournalProbeInterval > TimeSpan.Zero && options.JournalStallTimeout >= TimeSpan.FromSeconds(1),
                "Usage:JournalSegmentBytes must be at least 4096, Usage:JournalProbeInterval positive and Usage:JournalStallTimeout at least 1 s.")
            .Validate(options => Enum.IsDefined(options.Durability), "Usage:Durability must be BeforeDelivery or BestEffort.")
            .Validate(options => options.PeriodGrace >= TimeSpan.Zero && options.PeriodGrace <= TimeSpan.FromDays(31)
                && options.PeriodCheckInterval > TimeSpan.Zero && options.PeriodCheckInterval <= TimeSpan.FromHours(1),
                "Usage:PeriodGrace must be between 0 and 31.00:00:00 and Usage:PeriodCheckInterval between 0 (exclusive) and 01:00:00.")
            .ValidateOnStart();
        services.AddSingleton<LegacySpill>();
        services.AddSingleton<UsageQuarantine>();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<UsageOptions>>().Value;
            var directory = provider.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.File(options.JournalDirectoryName);
            return new UsageJournal(directory, options, provider.GetRequiredService<UsageMetrics>(),
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<UsageJournal>>());
        });
        services.AddSingleton<UsageSink>();
        services.AddSingleton<IUsageSink>(provider => provider.GetRequiredService<UsageSink>());
        services.AddHostedService(provider => provider.GetRequiredService<UsageSink>());
        services.AddSingleton<UsageBacklog>();
        services.AddSingleton<UsageWatermark>();
        services.AddSingleton<UsagePeriods>();
        services.AddHostedService<PeriodCloser>();
        services.AddSingleton<UsageRecordFactory>();
        services.AddSingleton<UsageRecordMetrics>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, UsageJsonContext.Default));
        services.AddHealthChecks().AddCheck<UsageBacklogHealthCheck>("usage", tags: [HealthTags.Ready]);
        return services;
    }

    /// <summary>Refuses metered requests while their usage could not be made durable (see <see cref="DurabilityGateMiddleware"/>).</summary>
    public static IReverseProxyApplicationBuilder UseUsageDurability(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<DurabilityGateMiddleware>();
        return proxy;
    }

    private static bool IsPlainName(string name) => !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(['/', '\\']) < 0 && name is not ("." or "..");
}
