namespace Routescope.Gateway.Hygiene;

/// <summary>Header and framing hygiene: what a request must look like on the wire before anything else reads it.</summary>
internal static class HygieneExtensions
{
    /// <summary>Every endpoint's connections are watched for framing Kestrel accepts but hides (see <see cref="ConnectionFramingScanner"/>).</summary>
    public static WebApplicationBuilder AddRequestHygiene(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(ConnectionFraming.Watch)));
        return builder;
    }

    /// <summary>Before authentication: the rules hold for requests without a key as well.</summary>
    public static WebApplication UseRequestHygiene(this WebApplication app)
    {
        app.UseMiddleware<RequestHygieneMiddleware>();
        return app;
    }
}
