using FluentValidation;

using Microsoft.AspNetCore.Authentication;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

internal static class AdminExtensions
{
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>()
            .Bind(configuration.GetSection(AdminOptions.SectionName))
            .Configure(options =>
            {
                if (configuration["GATEWAY_ADMIN_TOKEN"] is { Length: > 0 } token)
                {
                    options.Token = token;
                }
            })
            .Validate(options => options.Token is null || options.Token.Length >= 16,
                "GATEWAY_ADMIN_TOKEN must be at least 16 characters (use e.g. `openssl rand -hex 32`).")
            .ValidateOnStart();
        services.AddSingleton<IValidator<KeyPolicy>, KeyPolicyValidator>();
        services.AddSingleton<IValidator<CreateKeyRequest>, CreateKeyRequestValidator>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminDefaults.Policy, policy => policy.AddAuthenticationSchemes(AdminDefaults.Scheme).RequireAuthenticatedUser());
        return services;
    }
}
