using System.Globalization;

namespace Routescope.Fake;

/// <summary>Writes a planned answer, after the steered delay.</summary>
internal static class FakeAnswerWriter
{
    public static async Task WriteAsync(HttpContext context, FakeAnswer answer)
    {
        if (answer.Steering.DelayMs > 0)
        {
            await Task.Delay(answer.Steering.DelayMs, context.RequestAborted);
        }

        var response = context.Response;
        var aborted = context.RequestAborted;
        if (answer.IsError)
        {
            var usage = answer.Generation is { } shown ? UsageJson.Write(shown.FinalUsage(), shown.Details) : null;
            await FakeJson.WriteAsync(response, answer.StatusCode, FakeErrors.Json(answer.StatusCode, answer.ErrorMessage ?? "Failure (fake upstream)", usage), answer.Coding, aborted);
            return;
        }

        if (answer.Steering.Body is { } bad && answer.Route.IsGeneration)
        {
            await FakeBadBodies.WriteAsync(response, bad, aborted);
            return;
        }

        switch (answer.Route.Operation)
        {
            case FakeOperation.ListModels:
                await FakeJson.WriteAsync(response, 200, FakeModels.ListJson(), ContentCoding.Identity, aborted);
                break;
            case FakeOperation.GetModel:
                await FakeJson.WriteAsync(response, 200, FakeModels.ModelJson(answer.Route.Model), ContentCoding.Identity, aborted);
                break;
            case FakeOperation.CountTokens:
                await FakeJson.WriteAsync(response, 200, string.Create(CultureInfo.InvariantCulture,
                    $$"""{"totalTokens":{{answer.PromptTokens}},"promptTokensDetails":[{"modality":"TEXT","tokenCount":{{answer.PromptTokens}}}]}"""), ContentCoding.Identity, aborted);
                break;
            default:
                await GenerationWriter.WriteAsync(context, answer, answer.Generation!);
                break;
        }
    }
}
