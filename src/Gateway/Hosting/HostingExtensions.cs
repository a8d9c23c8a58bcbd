using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// Process-wide basics: the clock, the data directory, a Kestrel that does not advertise itself, and the graceful
    /// stop (drain delay, shutdown timeout, readiness while draining).
    /// </summary>
    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DataDirectoryOptions>()
            .Configure(options => options.Path = configuration[DataDirectoryOptions.Variable] is { Length: > 0 } variable
                ? variable
                : configuration[DataDirectoryOptions.Setting] ?? options.Path)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Path), "Store:DataDirectory (GATEWAY_DATA_DIR) must not be empty.")
            .ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddOptions<LifecycleOptions>()
            .Bind(configuration.GetSection(LifecycleOptions.SectionName))
            .Validate(options => options.DrainDelay >= TimeSpan.Zero && options.DrainDelay <= TimeSpan.FromMinutes(10),
                "Lifecycle:DrainDelay must be between 00:00:00 and 00:10:00.")
            .ValidateOnStart();
        // Read when the host is built, so a value set late (a test host's settings) still counts; an explicit one
        // (DOTNET_shutdownTimeoutSeconds, shutdownTimeoutSeconds) always wins over the default.
        builder.Services.AddSingleton<IConfigureOptions<HostOptions>>(services => new ConfigureOptions<HostOptions>(host =>
        {
            if (string.IsNullOrWhiteSpace(services.GetRequiredService<IConfiguration>()[LifecycleOptions.ShutdownTimeoutKey]))
            {
                host.ShutdownTimeout = LifecycleOptions.DefaultShutdownTimeout;
            }
        }));
        builder.Services.AddSingleton<LifecycleMetrics>();
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ShutdownDrain>());
        builder.Services.AddHealthChecks().AddCheck<DrainHealthCheck>(DrainHealthCheck.Name, tags: [HealthTags.Ready]);
        return builder;
    }
}
