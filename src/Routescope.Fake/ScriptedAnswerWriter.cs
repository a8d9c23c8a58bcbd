namespace Routescope.Fake;

/// <summary>Writes a test's <see cref="FakeScriptedResponse"/> as it asks, bytes as given.</summary>
internal static class ScriptedAnswerWriter
{
    public static async Task WriteAsync(HttpContext context, FakeScriptedResponse scripted)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        if (scripted.Delay > TimeSpan.Zero)
        {
            await Task.Delay(scripted.Delay, aborted);
        }

        if (scripted.Abort)
        {
            await FakeConnection.BreakAsync(context, aborted);
            return;
        }

        if (scripted.AbortAfterBodyBytes is { } sent && scripted.Body is { } partial)
        {
            response.StatusCode = scripted.StatusCode;
            response.ContentType = scripted.ContentType;
            await response.Body.WriteAsync(partial.AsMemory(0, Math.Min(sent, partial.Length)), aborted);
            await FakeConnection.BreakAsync(context, aborted);
            return;
        }

        if (scripted.Body is null)
        {
            await FakeJson.WriteAsync(response, scripted.StatusCode, FakeErrors.Json(scripted.StatusCode, "Scripted failure (fake upstream)"), ContentCoding.Identity, aborted);
            return;
        }

        response.StatusCode = scripted.StatusCode;
        response.ContentType = scripted.ContentType;
        response.ContentLength = scripted.Body.Length;
        foreach (var (name, value) in scripted.Headers)
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(scripted.Body, aborted);
    }
}
