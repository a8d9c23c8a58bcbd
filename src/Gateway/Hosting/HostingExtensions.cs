namespace Routescope.Gateway.Hosting;

internal static class HostingExtensions
{
    /// <summary>Process-wide basics: the clock, the data directory, and a Kestrel that does not advertise itself.</summary>
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
        return builder;
    }
}
