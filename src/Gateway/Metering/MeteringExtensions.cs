namespace Routescope.Gateway.Metering;

internal static class MeteringExtensions
{
    public static IReverseProxyApplicationBuilder UseMetering(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<MeteringMiddleware>();
        return proxy;
    }
}
