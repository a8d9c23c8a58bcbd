namespace Routescope.Gateway.Gemini;

internal static class GeminiExtensions
{
    public static IReverseProxyApplicationBuilder UseGeminiPathGuard(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<GeminiPathGuardMiddleware>();
        return proxy;
    }
}
