using FluentValidation;

namespace Routescope.Gateway.Inspection;

internal static class InspectionExtensions
{
    public static IServiceCollection AddRequestInspection(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<InspectionSubject>, GenerateRequestValidator>();
        services.AddSingleton<RequestInspectionMiddleware>();
        return services;
    }

    public static IReverseProxyApplicationBuilder UseRequestInspection(this IReverseProxyApplicationBuilder proxy)
    {
        var inspection = proxy.ApplicationServices.GetRequiredService<RequestInspectionMiddleware>();
        proxy.Use(inspection.InvokeAsync);
        return proxy;
    }
}
