using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Routescope.Fake;

/// <summary>
/// A deterministic stand-in for the Routescope relay on a real loopback Kestrel server: the same request gets the
/// same bytes back, so tests and benchmarks can compare what the gateway delivers with what the upstream sent.
/// Control headers (<c>x-fake-image-bytes</c>, <c>x-fake-status</c>, <c>x-fake-delay-ms</c>) shape the answer;
/// tests can script answers per request through <see cref="Script"/>.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const string ImageBytesHeader = "x-fake-image-bytes";
    public const string StatusHeader = "x-fake-status";
    public const string DelayHeader = "x-fake-delay-ms";

    /// <summary>Bodies up to this size are kept in the ledger for tests to inspect.</summary>
    public const int KeptBodyLimit = 4 * 1024 * 1024;

    /// <summary>Tokens the fake bills for one output image (the published figure for gemini-2.5-flash-image).</summary>
    public const int ImageTokens = 1290;

    /// <summary>Tokens the fake bills for its text output.</summary>
    public const int TextTokens = 12;

    private static readonly string[] KnownModels =
    [
        "gemini-2.5-flash-image",
        "gemini-3-pro-image-preview",
        "gemini-3.1-flash-image-preview",
        "gemini-2.5-flash",
    ];

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] SupportedMethods = ["generateContent", "countTokens"];

    private readonly WebApplication _app;
    private readonly FakeUpstreamOptions _options;
    private readonly ConcurrentQueue<ReceivedRequest> _ledger = new();
    private readonly ConcurrentDictionary<ReceivedRequest, byte> _undelivered = new(ReferenceEqualityComparer.Instance);
    private volatile Func<ReceivedRequest, FakeScriptedResponse?>? _script;

    private FakeUpstream(WebApplication app, FakeUpstreamOptions options, Uri baseAddress)
    {
        _app = app;
        _options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>Address of the server, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received so far, oldest first.</summary>
    /// <remarks>An answer that did not reach the caller in full (it left, or the write failed) shows no <see cref="ReceivedRequest.Issued"/> usage.</remarks>
    public IReadOnlyList<ReceivedRequest> Received => _ledger.Select(r => _undelivered.ContainsKey(r) ? r with { Issued = null } : r).ToArray();

    /// <summary>Replaces the normal answer for the requests it returns a response for.</summary>
    public Func<ReceivedRequest, FakeScriptedResponse?>? Script
    {
        get => _script;
        set => _script = value;
    }

    public void ClearReceived() => _ledger.Clear();

    public static async Task<FakeUpstream> StartAsync(FakeUpstreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake = new FakeUpstream(app, options, new Uri(address));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await ReadRequestAsync(context);
        var scripted = _script?.Invoke(received);
        if (scripted is not null)
        {
            Record(received);
            await WriteScriptedAsync(context, scripted);
            return;
        }

        var recorded = received with { Issued = Issue(received) };
        Record(recorded);
        try
        {
            await AnswerAsync(context, received);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            _undelivered[recorded] = 0;
            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            _undelivered[recorded] = 0;
        }
    }

    private async Task AnswerAsync(HttpContext context, ReceivedRequest received)
    {
        var response = context.Response;

        if (_options.ApiKey is { } apiKey && received.Header("authorization") != "Bearer " + apiKey)
        {
            await WriteErrorAsync(response, 401, "Invalid token (fake upstream)");
            return;
        }

        if (int.TryParse(received.Header(DelayHeader), CultureInfo.InvariantCulture, out var delayMs) && delayMs > 0)
        {
            await Task.Delay(delayMs, context.RequestAborted);
        }

        if (int.TryParse(received.Header(StatusHeader), CultureInfo.InvariantCulture, out var status) && status >= 400)
        {
            await WriteErrorAsync(response, status, "Scripted failure (fake upstream)");
            return;
        }

        var path = received.Path;
        if (!path.StartsWith("/v1beta/models", StringComparison.Ordinal))
        {
            await WriteErrorAsync(response, 404, "Unknown path (fake upstream)");
            return;
        }

        var rest = path["/v1beta/models".Length..];
        if (rest.Length == 0 && HttpMethods.IsGet(received.Method))
        {
            await WriteModelListAsync(response);
            return;
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var operation = colon < 0 ? string.Empty : rest[(colon + 1)..];
        var model = received.Model ?? string.Empty;
        if (colon < 0 && HttpMethods.IsGet(received.Method) && model.Length > 0)
        {
            await WriteJsonAsync(response, ModelJson(model));
            return;
        }

        var imageBytes = ImageBytes(received);
        var promptTokens = PromptTokens(received.BodyLength);
        var seed = SeedFrom(received.BodySha256);

        switch (operation)
        {
            case "generateContent" when HttpMethods.IsPost(received.Method):
                await WriteGenerateAsync(response, model, imageBytes, promptTokens, seed, context.RequestAborted);
                break;
            case "streamGenerateContent" when HttpMethods.IsPost(received.Method):
                var sse = string.Equals(context.Request.Query["alt"], "sse", StringComparison.Ordinal);
                await WriteStreamAsync(response, model, imageBytes, promptTokens, seed, sse, context.RequestAborted);
                break;
            case "countTokens" when HttpMethods.IsPost(received.Method):
                await WriteJsonAsync(response, string.Create(CultureInfo.InvariantCulture,
                    $$"""{"totalTokens":{{promptTokens}},"promptTokensDetails":[{"modality":"TEXT","tokenCount":{{promptTokens}}}]}"""));
                break;
            default:
                await WriteErrorAsync(response, 404, "Unknown operation (fake upstream)");
                break;
        }
    }

    private void Record(ReceivedRequest received)
    {
        _ledger.Enqueue(received);
        while (_ledger.Count > _options.LedgerCapacity && _ledger.TryDequeue(out _))
        {
        }
    }

    /// <summary>What a normal answer to this request bills, decided before answering so the ledger is complete.</summary>
    private IssuedUsage? Issue(ReceivedRequest received)
    {
        var status = int.TryParse(received.Header(StatusHeader), CultureInfo.InvariantCulture, out var scriptedStatus) ? scriptedStatus : 200;
        var unauthorized = _options.ApiKey is { } apiKey && received.Header("authorization") != "Bearer " + apiKey;
        var operation = received.Path.Contains(':', StringComparison.Ordinal) ? received.Path[(received.Path.IndexOf(':', StringComparison.Ordinal) + 1)..] : string.Empty;
        if (status >= 400 || unauthorized || operation is not ("generateContent" or "streamGenerateContent") || !HttpMethods.IsPost(received.Method))
        {
            return null;
        }

        var images = ImageBytes(received) > 0 ? 1 : 0;
        var prompt = PromptTokens(received.BodyLength);
        var candidates = TextTokens + (images * ImageTokens);
        return new IssuedUsage(prompt, candidates, images * ImageTokens, prompt + candidates, images);
    }

    private int ImageBytes(ReceivedRequest received) =>
        int.TryParse(received.Header(ImageBytesHeader), CultureInfo.InvariantCulture, out var requested) && requested >= 0
            ? requested
            : (received.Model ?? string.Empty).Contains("image", StringComparison.Ordinal) ? _options.DefaultImageBytes : 0;

    /// <summary>The deterministic prompt token count the fake bills for a body of this size.</summary>
    public static int PromptTokens(long bodyLength) => (int)Math.Min(1_000_000, 1 + (bodyLength / 4));

    private static async Task<ReceivedRequest> ReadRequestAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var kept = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long length = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (length <= KeptBodyLimit)
                {
                    kept.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var path = context.Request.Path.Value ?? string.Empty;
        string? model = null;
        const string modelsPrefix = "/v1beta/models/";
        if (path.StartsWith(modelsPrefix, StringComparison.Ordinal))
        {
            var rest = path[modelsPrefix.Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            model = colon < 0 ? rest : rest[..colon];
        }

        return new ReceivedRequest
        {
            Method = context.Request.Method,
            Path = path,
            QueryString = context.Request.QueryString.Value ?? string.Empty,
            Headers = headers,
            BodyLength = length,
            BodySha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            Body = length <= KeptBodyLimit ? kept.ToArray() : null,
            Model = model,
        };
    }

    private static ulong SeedFrom(string hex) => ulong.Parse(hex.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture) | 1;

    private static async Task WriteScriptedAsync(HttpContext context, FakeScriptedResponse scripted)
    {
        if (scripted.Delay > TimeSpan.Zero)
        {
            await Task.Delay(scripted.Delay, context.RequestAborted);
        }

        if (scripted.Abort)
        {
            context.Abort();
            return;
        }

        if (scripted.AbortAfterBodyBytes is { } sent && scripted.Body is { } partial)
        {
            context.Response.StatusCode = scripted.StatusCode;
            context.Response.ContentType = scripted.ContentType;
            await context.Response.Body.WriteAsync(partial.AsMemory(0, Math.Min(sent, partial.Length)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(50, context.RequestAborted);
            context.Abort();
            return;
        }

        if (scripted.Body is null)
        {
            await WriteErrorAsync(context.Response, scripted.StatusCode, "Scripted failure (fake upstream)");
            return;
        }

        context.Response.StatusCode = scripted.StatusCode;
        context.Response.ContentType = scripted.ContentType;
        context.Response.ContentLength = scripted.Body.Length;
        foreach (var (name, value) in scripted.Headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.Body.WriteAsync(scripted.Body, context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        var rpc = status switch
        {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            504 => "DEADLINE_EXCEEDED",
            _ => "INTERNAL",
        };
        var body = JsonSerializer.Serialize(new { error = new { code = status, message, status = rpc } });
        return WriteJsonAsync(response, body, status);
    }

    private static Task WriteJsonAsync(HttpResponse response, string json, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }

    private static Task WriteModelListAsync(HttpResponse response)
    {
        var builder = new StringBuilder("{\"models\":[");
        for (var i = 0; i < KnownModels.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append(ModelJson(KnownModels[i]));
        }

        return WriteJsonAsync(response, builder.Append("]}").ToString());
    }

    private static string ModelJson(string model) =>
        JsonSerializer.Serialize(new
        {
            name = "models/" + model,
            displayName = model,
            supportedGenerationMethods = SupportedMethods,
        });

    private static string UsageJson(int promptTokens, int imageTokens)
    {
        var candidates = TextTokens + imageTokens;
        var details = imageTokens > 0
            ? string.Create(CultureInfo.InvariantCulture, $$""","candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":{{imageTokens}}}]""")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"promptTokenCount":{{promptTokens}},"candidatesTokenCount":{{candidates}},"totalTokenCount":{{promptTokens + candidates}},"promptTokensDetails":[{"modality":"TEXT","tokenCount":{{promptTokens}}}]{{details}}}""");
    }

    private static async Task WriteGenerateAsync(HttpResponse response, string model, int imageBytes, int promptTokens, ulong seed, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json; charset=UTF-8";
        var modelJson = JsonSerializer.Serialize(model);
        var writer = response.BodyWriter;
        Write(writer, """{"candidates":[{"content":{"role":"model","parts":[{"text":"A deterministic answer from the fake upstream."}""");
        if (imageBytes > 0)
        {
            Write(writer, """,{"inlineData":{"mimeType":"image/png","data":""" + "\"");
            await WriteImageBase64Async(writer, imageBytes, seed, cancellationToken);
            Write(writer, "\"}}");
        }

        Write(writer, """]},"finishReason":"STOP","index":0}],"usageMetadata":""");
        Write(writer, UsageJson(promptTokens, imageBytes > 0 ? ImageTokens : 0));
        Write(writer, ",\"modelVersion\":" + modelJson + ",\"responseId\":\"fake-" + seed.ToString("x16", CultureInfo.InvariantCulture) + "\"}");
        await writer.FlushAsync(cancellationToken);
    }

    private static async Task WriteStreamAsync(HttpResponse response, string model, int imageBytes, int promptTokens, ulong seed, bool sse, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = sse ? "text/event-stream" : "application/json; charset=UTF-8";
        var writer = response.BodyWriter;
        var tail = ",\"modelVersion\":" + JsonSerializer.Serialize(model) + ",\"responseId\":\"fake-" + seed.ToString("x16", CultureInfo.InvariantCulture) + "\"}";
        var (open, separator, close) = sse ? ("data: ", "\r\n\r\ndata: ", "\r\n\r\n") : ("[", ",\r\n", "]");

        Write(writer, open);
        Write(writer, """{"candidates":[{"content":{"role":"model","parts":[{"text":"Here is"}]},"index":0}],"usageMetadata":""");
        Write(writer, string.Create(CultureInfo.InvariantCulture, $$"""{"promptTokenCount":{{promptTokens}},"totalTokenCount":{{promptTokens}}}"""));
        Write(writer, tail);
        await writer.FlushAsync(cancellationToken);

        if (imageBytes > 0)
        {
            Write(writer, separator);
            Write(writer, """{"candidates":[{"content":{"role":"model","parts":[{"inlineData":{"mimeType":"image/png","data":""" + "\"");
            await WriteImageBase64Async(writer, imageBytes, seed, cancellationToken);
            Write(writer, "\"}}]},\"index\":0}],\"usageMetadata\":");
            Write(writer, string.Create(CultureInfo.InvariantCulture, $$"""{"promptTokenCount":{{promptTokens}},"totalTokenCount":{{promptTokens}}}"""));
            Write(writer, tail);
            await writer.FlushAsync(cancellationToken);
        }

        Write(writer, separator);
        Write(writer, """{"candidates":[{"content":{"role":"model","parts":[{"text":" your image."}]},"finishReason":"STOP","index":0}],"usageMetadata":""");
        Write(writer, UsageJson(promptTokens, imageBytes > 0 ? ImageTokens : 0));
        Write(writer, tail);
        Write(writer, close);
        await writer.FlushAsync(cancellationToken);
    }

    private static void Write(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>Streams a PNG-signed pseudo-random image as base64, 48 KB of raw bytes at a time.</summary>
    private static async Task WriteImageBase64Async(PipeWriter writer, int imageBytes, ulong seed, CancellationToken cancellationToken)
    {
        const int chunk = 48 * 1024; // a multiple of 3, so chunks concatenate into one valid base64 string
        var raw = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            var state = seed;
            var written = 0;
            while (written < imageBytes)
            {
                var count = Math.Min(chunk, imageBytes - written);
                for (var i = 0; i < count; i++)
                {
                    var position = written + i;
                    if (position < PngSignature.Length)
                    {
                        raw[i] = PngSignature[position];
                        continue;
                    }

                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    raw[i] = (byte)state;
                }

                var target = writer.GetSpan(Base64.GetMaxEncodedToUtf8Length(count));
                Base64.EncodeToUtf8(raw.AsSpan(0, count), target, out _, out var encoded);
                writer.Advance(encoded);
                written += count;
                await writer.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }
}
