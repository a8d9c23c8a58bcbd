using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Routescope.Gateway.Errors;

/// <summary>
/// The one place that writes errors the gateway makes itself, in the Gemini shape
/// <c>{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}</c>, so SDKs surface them like upstream errors.
/// </summary>
internal static class GeminiError
{
    // Relaxed escaping keeps quotes and angle brackets readable; the body is JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonEncodedText ErrorProperty = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText CodeProperty = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageProperty = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText StatusProperty = JsonEncodedText.Encode("status");

    /// <summary>Whole seconds, at least one: what <c>Retry-After</c> can say.</summary>
    public static int RetrySeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>The google.rpc status name Google's APIs pair with an HTTP status.</summary>
    public static string StatusName(int httpStatus) => httpStatus switch
    {
        400 or 413 or 414 or 431 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        405 => "UNIMPLEMENTED",
        409 => "ALREADY_EXISTS",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => httpStatus is >= 400 and < 500 ? "FAILED_PRECONDITION" : "INTERNAL",
    };

    /// <summary>
    /// Writes the error unless the response has already started (then the connection is all we have), with
    /// <c>Retry-After</c> in whole seconds (at least one) when <paramref name="retryAfter"/> is given, and
    /// <c>Connection: close</c> when <paramref name="closeConnection"/> says nothing after this request on its
    /// connection may be read (its framing is unknown, or its body was abandoned mid-way).
    /// </summary>
    public static async Task WriteAsync(
        HttpContext context, int httpStatus, string message, IReadOnlyList<FieldViolation>? violations = null, TimeSpan? retryAfter = null, bool closeConnection = false)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = httpStatus;
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = RetrySeconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        if (closeConnection)
        {
            response.Headers.Connection = "close";
        }

        response.ContentType = "application/json; charset=UTF-8";
        // Error bodies are small: render them first so the response carries a Content-Length, not chunks.
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(ErrorProperty);
            writer.WriteNumber(CodeProperty, httpStatus);
            writer.WriteString(MessageProperty, message);
            writer.WriteString(StatusProperty, StatusName(httpStatus));
            if (violations is { Count: > 0 })
            {
                WriteBadRequestDetails(writer, violations);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>
    /// A 400 INVALID_ARGUMENT listing at most <see cref="BoundedViolations.MaxReported"/> violations, in the message and
    /// as <c>google.rpc.BadRequest</c> details; the message ends with how many more there were (those beyond the first
    /// ones given, plus <paramref name="omitted"/> the caller only counted). Its size is bounded whatever the count.
    /// </summary>
    public static Task WriteViolationsAsync(HttpContext context, IReadOnlyList<FieldViolation> violations, int omitted = 0)
    {
        var reported = Math.Min(violations.Count, BoundedViolations.MaxReported);
        var listed = new FieldViolation[reported];
        var message = new StringBuilder(reported * 64);
        for (var i = 0; i < reported; i++)
        {
            listed[i] = violations[i];
            message.Append(i == 0 ? string.Empty : "; ").Append(listed[i].Field).Append(": ").Append(listed[i].Description);
        }

        var more = (long)violations.Count - reported + omitted;
        if (more > 0)
        {
            message.Append(CultureInfo.InvariantCulture, $"{(reported == 0 ? string.Empty : "; ")}and {more} more {(more == 1 ? "violation" : "violations")}");
        }

        return WriteAsync(context, StatusCodes.Status400BadRequest, message.ToString(), listed);
    }

    /// <summary>The <c>google.rpc.BadRequest</c> detail Google's APIs attach, one field violation per problem.</summary>
    private static void WriteBadRequestDetails(Utf8JsonWriter writer, IReadOnlyList<FieldViolation> violations)
    {
        writer.WriteStartArray("details");
        writer.WriteStartObject();
        writer.WriteString("@type", "type.googleapis.com/google.rpc.BadRequest");
        writer.WriteStartArray("fieldViolations");
        foreach (var violation in violations)
        {
            writer.WriteStartObject();
            writer.WriteString("field", violation.Field);
            writer.WriteString("description", violation.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>The same error as an endpoint result.</summary>
    public static IResult Result(int httpStatus, string message) => new GeminiErrorResult(httpStatus, message);

    private sealed class GeminiErrorResult(int httpStatus, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, httpStatus, message);
    }
}
