namespace Routescope.Gateway.Errors;

/// <summary>Gemini-style errors for everything the gateway answers itself.</summary>
internal static class ErrorsExtensions
{
    public static IServiceCollection AddGeminiErrors(this IServiceCollection services)
    {
        services.AddExceptionHandler<GeminiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>Exceptions and empty framework error responses (405, 415, …) become Gemini errors.</summary>
    public static WebApplication UseGeminiErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            return http.Response.StatusCode >= 400
                ? GeminiError.WriteAsync(http, http.Response.StatusCode, DefaultMessage(http.Response.StatusCode))
                : Task.CompletedTask;
        });
        return app;
    }

    /// <summary>Any path nobody serves answers like an unknown Gemini resource.</summary>
    public static WebApplication MapGeminiNotFound(this WebApplication app)
    {
        app.MapFallback(context => GeminiError.WriteAsync(context, StatusCodes.Status404NotFound, "No such endpoint on this gateway."));
        return app;
    }

    private static string DefaultMessage(int status) => status switch
    {
        404 => "No such endpoint on this gateway.",
        405 => "This method is not supported on this path.",
        413 => "The request body is larger than the gateway accepts.",
        415 => "Content-Type must be application/json.",
        _ => "The request could not be served.",
    };
}
