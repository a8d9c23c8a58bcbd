namespace Routescope.Gateway.Hosting;

internal static class HostingExtensions
{
    /// <summary>Process-wide basics: the clock, and a Kestrel that does not advertise itself.</summary>
    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }
}
