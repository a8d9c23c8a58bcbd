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
        services.AddOptions<FocusOptions>()
            .BindConfiguration(FocusOptions.SectionName)
            .Validate(options => options.Required().All(setting => !string.IsNullOrWhiteSpace(setting.Value)),
                "Billing:Focus: BillingAccountId, BillingAccountName, ProviderName, InvoiceIssuerName, PublisherName, ServiceName and every ModelPublishers entry must not be empty (FOCUS 1.2 allows them no null).")
            .ValidateOnStart();
        services.AddSingleton<IUsageExportFormat, FocusExport>();
        services.AddSingleton<IUsageExportFormat, XlsxExport>();
        return services;
    }
}
