namespace Routescope.Gateway.Exports;

internal static class ExportExtensions
{
    /// <summary>The exporter and its formats, shared by the admin API and the CLI.</summary>
    public static IServiceCollection AddUsageExports(this IServiceCollection services)
    {
        services.AddSingleton<ExportMetadataSource>();
        services.AddSingleton<UsageExporter>();
        services.AddSingleton<IUsageExportFormat, CsvExport>();
        services.AddSingleton<IUsageExportFormat, JsonExport>();
        services.AddSingleton<IUsageExportFormat, FocusExport>();
        services.AddSingleton<IUsageExportFormat, XlsxExport>();
        return services;
    }
}
