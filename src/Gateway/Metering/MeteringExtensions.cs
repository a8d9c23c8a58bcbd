namespace Routescope.Gateway.Metering;

internal static class MeteringExtensions
{
    public static IServiceCollection AddGatewayMetering(this IServiceCollection services) =>
        services.AddSingleton<MeteringMetrics>().AddSingleton<ShutdownDeadline>();

    public static IReverseProxyApplicationBuilder UseMetering(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<MeteringMiddleware>();
        return proxy;
    }
}
