using Microsoft.AspNetCore.Authentication;

namespace Routescope.Gateway.Keys;

internal static class KeysExtensions
{
    public static IServiceCollection AddGatewayKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeysOptions>()
            .Bind(configuration.GetSection(KeysOptions.SectionName))
            .Validate(options => options.CacheTtl >= TimeSpan.Zero && options.CacheTtl <= TimeSpan.FromMinutes(10),
                "Keys:CacheTtl must be between 00:00:00 and 00:10:00 (it bounds how long a revoked key keeps working on other replicas).")
            .Validate(options => options.CacheSize > 0, "Keys:CacheSize must be positive.")
            .Validate(options => KeyGroupName.IsValid(options.DefaultGroup), "Keys:DefaultGroup: " + KeyGroupName.Rule)
            .ValidateOnStart();

        services.AddSingleton<KeyCache>();
        services.AddSingleton<KeyGroupCache>();
        services.AddSingleton<GatewayKeyService>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, GatewayKeyAuthenticationHandler>(GatewayKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayKeyDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(GatewayKeyDefaults.Scheme)
                .RequireAuthenticatedUser());
        return services;
    }
}
