namespace Routescope.Gateway.Observability;

/// <summary>
/// Gives every request an id (<see cref="HttpContext.TraceIdentifier"/>) that the response, the upstream request and
/// the log line all carry, so one id finds a request everywhere.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var offered = context.Request.Headers[RequestIds.HeaderName];
        var id = offered.Count == 1 && RequestIds.IsSane(offered[0]) ? offered[0]! : RequestIds.New();
        context.TraceIdentifier = id;
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            // Set at the last moment so it also replaces any id the upstream answered with.
            http.Response.Headers[RequestIds.HeaderName] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
