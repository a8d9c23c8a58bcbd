using System.Globalization;
using System.Text.Json;

namespace Routescope.Fake;

/// <summary>
/// Writes a generation as a generateContent answer or a stream, in Google's field order (usage, model version and
/// response id after the candidates, so usage arrives at the end of a large body).
/// </summary>
internal static class GenerationWriter
{
    public static async Task WriteAsync(HttpContext context, FakeAnswer answer, FakeGeneration generation)
    {
        var framing = new EventFraming(answer.Framing, answer.Steering.Sse);
        var events = answer.Framing == EventFramingKind.Single ? AnswerEvents.Whole(generation) : AnswerEvents.Stream(generation);
        var tail = ",\"modelVersion\":" + JsonSerializer.Serialize(generation.Model)
            + ",\"responseId\":\"fake-" + generation.Seed.ToString("x16", CultureInfo.InvariantCulture) + "\"}";

        await using var body = await AnswerBody.StartAsync(context, framing.ContentType, answer.Coding, answer.Steering);
        var index = 0;
        foreach (var response in events)
        {
            index++;
            await framing.OpenAsync(body);
            await body.WriteAsync("{\"candidates\":[{");
            if (response.Parts.Count > 0)
            {
                await body.WriteAsync("\"content\":{\"role\":\"model\",\"parts\":[");
                for (var i = 0; i < response.Parts.Count; i++)
                {
                    await WritePartAsync(body, response.Parts[i], generation.ImageBytes, i == 0);
                }

                await body.WriteAsync("]},");
            }

            await body.WriteAsync(response.FinishReason is { } finish ? "\"finishReason\":\"" + finish + "\",\"index\":0}]," : "\"index\":0}],");
            await framing.SplitAsync(body);
            await body.WriteAsync("\"usageMetadata\":");
            if (index == answer.Steering.BreakInEvent)
            {
                await body.BreakHereAsync();
            }

            await framing.SplitAsync(body);
            await body.WriteAsync(UsageJson.Write(response.Usage, generation.Details));
            await framing.SplitAsync(body);
            await body.WriteAsync(tail);
            await framing.CloseAsync(body);
            await body.EndEventAsync();
        }

        await framing.EndAsync(body);
        await body.CompleteAsync();
    }

    private static async Task WritePartAsync(AnswerBody body, AnswerPart part, int imageBytes, bool first)
    {
        await body.WriteAsync(first ? "{" : ",{");
        if (part.ImageSeed is { } seed)
        {
            await body.WriteAsync("\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"");
            await body.WriteImageAsync(imageBytes, seed);
            await body.WriteAsync("\"}");
        }
        else
        {
            await body.WriteAsync("\"text\":" + JsonSerializer.Serialize(part.Text));
        }

        await body.WriteAsync((part.Thought ? ",\"thought\":true" : "") + (part.Signed ? ",\"thoughtSignature\":\"ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ==\"}" : "}"));
    }
}
