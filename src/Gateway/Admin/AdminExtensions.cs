using FluentValidation;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;

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
            .Validate(options => string.IsNullOrEmpty(options.TokenName) || KeyGroupName.IsValid(options.TokenName),
                "Admin:TokenName must be 1-64 letters, digits, '.', '-' or '_' (it names the admin token in the audit log).")
            .ValidateOnStart();
        services.AddSingleton<AdminIdentity>();
        services.AddSingleton<IValidator<KeyPolicy>, KeyPolicyValidator>();
        services.AddSingleton<IValidator<CreateKeyRequest>, CreateKeyRequestValidator>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminDefaults.Policy, policy => policy.AddAuthenticationSchemes(AdminDefaults.Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Before authentication: with <c>Admin:Urls</c> set, admin and metrics live on the admin port only, the proxy on the public one only.</summary>
    public static WebApplication UseAdminPort(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ListenPlan>>().Value.SeparateAdmin)
        {
            app.UseMiddleware<AdminPortMiddleware>();
        }

        return app;
    }
}
