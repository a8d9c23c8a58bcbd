using FluentValidation;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Inspection.Buffering;
using Routescope.Gateway.Inspection.Validation;

namespace Routescope.Gateway.Inspection;

internal static class InspectionExtensions
{
    public static IServiceCollection AddRequestInspection(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<InspectionSubject>, GenerateRequestValidator>();
        services.AddSingleton(provider =>
        {
            var limits = provider.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
            return new TempSpace(string.IsNullOrWhiteSpace(limits.TempDirectory) ? Path.GetTempPath() : limits.TempDirectory, limits.MaxTempBytes);
        });
        return services;
    }

    public static IReverseProxyApplicationBuilder UseRequestInspection(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<RequestInspectionMiddleware>();
        return proxy;
    }
}
