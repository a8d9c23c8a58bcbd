using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Catalog;

internal static class CatalogExtensions
{
    public static IServiceCollection AddModelCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestLimitsOptions>()
            .Bind(configuration.GetSection(RequestLimitsOptions.SectionName))
            .Validate(limits => limits.MaxRequestBytes is >= 1024 and <= int.MaxValue, "Limits:MaxRequestBytes must be between 1024 and 2147483647.")
            .Validate(limits => limits.MemoryBufferBytes >= 64 * 1024 && limits.MemoryBufferBytes <= limits.MaxRequestBytes,
                "Limits:MemoryBufferBytes must be at least 65536 and at most Limits:MaxRequestBytes.")
            .Validate(limits => limits.MaxTempBytes >= 0, "Limits:MaxTempBytes must not be negative (0 refuses every body larger than Limits:MemoryBufferBytes).")
            .Validate(limits => limits.MaxJsonDepth is >= 8 and <= 64, "Limits:MaxJsonDepth must be between 8 and 64 (deeper bodies are refused whatever the setting).")
            .ValidateOnStart();
        services.AddOptions<ModelCatalogOptions>()
            .Bind(configuration.GetSection(ModelCatalogOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelCatalogOptions>, ModelCatalogValidator>();
        services.AddSingleton<ModelCatalog>();
        return services;
    }
}
