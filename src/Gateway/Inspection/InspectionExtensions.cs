using FluentValidation;

using Routescope.Gateway.Inspection.Validation;

namespace Routescope.Gateway.Inspection;

internal static class InspectionExtensions
{
    public static IServiceCollection AddRequestInspection(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<InspectionSubject>, GenerateRequestValidator>();
        return services;
    }

    public static IReverseProxyApplicationBuilder UseRequestInspection(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<RequestInspectionMiddleware>();
        return proxy;
    }
}
