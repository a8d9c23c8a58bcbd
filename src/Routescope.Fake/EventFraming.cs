namespace Routescope.Fake;

/// <summary>
/// Writes what goes around and inside each response of an answer: nothing for one JSON answer, brackets and commas
/// for a JSON array, and for SSE the <c>data:</c> framing in the steered style (<see cref="SseStyle"/>).
/// </summary>
internal sealed class EventFraming(EventFramingKind kind, SseStyle style)
{
    /// <summary>Looks like usage to anything that reads JSON wherever it finds it; SSE says a comment is not data.</summary>
    private const string DecoyComment = """: {"usageMetadata":{"promptTokenCount":999999,"candidatesTokenCount":999999,"totalTokenCount":1999998}}""";

    private int _events;

    public string ContentType => kind == EventFramingKind.Sse ? "text/event-stream" : "application/json; charset=UTF-8";

    private string LineEnd => style.HasFlag(SseStyle.LfOnly) ? "\n" : "\r\n";

    public async ValueTask OpenAsync(AnswerBody body)
    {
        switch (kind)
        {
            case EventFramingKind.JsonArray:
                await body.WriteAsync(_events == 0 ? "[" : ",\r\n");
                break;
            case EventFramingKind.Sse:
                if (style.HasFlag(SseStyle.Comments))
                {
                    await body.WriteAsync(_events == 0 ? DecoyComment + LineEnd : ": keep-alive" + LineEnd + LineEnd);
                }

                if (style.HasFlag(SseStyle.EventLines))
                {
                    await body.WriteAsync("event: message" + LineEnd);
                }

                await body.WriteAsync("data: ");
                break;
        }
    }

    /// <summary>A place in the JSON where whitespace is legal: split SSE data continues on a new <c>data:</c> line there.</summary>
    public ValueTask SplitAsync(AnswerBody body) =>
        kind == EventFramingKind.Sse && style.HasFlag(SseStyle.SplitData) ? body.WriteAsync(LineEnd + "data: ") : default;

    public ValueTask CloseAsync(AnswerBody body)
    {
        _events++;
        return kind == EventFramingKind.Sse ? body.WriteAsync(LineEnd + LineEnd) : default;
    }

    public ValueTask EndAsync(AnswerBody body) => kind == EventFramingKind.JsonArray ? body.WriteAsync("]") : default;
}
