using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Billing;

internal static class BillingExtensions
{
    public static IServiceCollection AddGatewayBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.SectionName))
            .Validate(options => options.ChannelRatios.Values.All(r => r >= 0) && options.GroupRatios.Values.All(r => r >= 0),
                "Billing:ChannelRatios and Billing:GroupRatios must not be negative.")
            .Validate(options => options.Currency is { Length: 3 }, "Billing:Currency must be an ISO 4217 code such as USD.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, ZeroRatioValidator>();
        return services;
    }
}
