using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;

using Routescope.Fake;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Concurrent client loops against one gateway, each sending, at random, generateContent requests (answered chunked,
/// or whole with a Content-Length) and SSE streamGenerateContent requests, and a record of every exchange as its
/// client saw it (<see cref="DeliveredResponse"/>). Stopping lets the requests in flight end on their own (answered,
/// broken by a killed gateway, or timed out), so every exchange is judged by what actually reached the client.
/// </summary>
public sealed class LoadDriver : IAsyncDisposable
{
    public const string Model = GeminiRequests.ImageModel;

    // Streams pause between events as a generating model does, so a kill finds some of them mid-stream, between their
    // events, and not only before their headers.
    private const int SsePaceMs = 15;

    // Marks the requests the fake answers whole (see Script): its own generation streams every answer chunked.
    private const string SizedTag = "sized-json";

    // Bounds each exchange, body included (HttpClient.Timeout stops at the headers when the body is streamed).
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private static readonly FakeScriptedResponse SizedAnswer = new()
    {
        StatusCode = 200,
        Body = Encoding.UTF8.GetBytes(
            """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"A lighthouse at dusk, in words."}]},"finishReason":"STOP","index":0}],
            "usageMetadata":{"promptTokenCount":27,"candidatesTokenCount":12,"totalTokenCount":39},"modelVersion":"gemini-2.5-flash-image"}
            """),
    };

    private readonly HttpClient _client;
    private readonly string _key;
    private readonly ConcurrentQueue<DeliveredResponse> _responses = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _completeAnswers;

    private LoadDriver(Uri gateway, string key)
    {
        _key = key;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Complete 2xx answers so far (cheap to poll).</summary>
    public int CompleteAnswers => Volatile.Read(ref _completeAnswers);

    /// <summary>Every exchange so far, finished ones only.</summary>
    public IReadOnlyList<DeliveredResponse> Responses => [.. _responses];

    /// <summary>
    /// The fake upstream's script (<see cref="FakeUpstream.Script"/>) for <see cref="RequestKind.SizedJson"/>: a whole
    /// generateContent answer, usage included, with a Content-Length the gateway passes on.
    /// </summary>
    public static FakeScriptedResponse? Script(ReceivedRequest request) =>
        request?.Header(FakeHeaders.Tag) == SizedTag ? SizedAnswer : null;

    /// <summary>Starts <paramref name="concurrency"/> loops; 0 gives a driver for single requests only.</summary>
    public static LoadDriver Start(Uri gateway, string key, int concurrency, int seed)
    {
        var driver = new LoadDriver(gateway, key);
        var seeds = new Random(seed);
        for (var i = 0; i < concurrency; i++)
        {
            var loopSeed = seeds.Next();
            driver._loops.Add(Task.Run(() => driver.LoopAsync(loopSeed)));
        }

        return driver;
    }

    /// <summary>One request, recorded with the others.</summary>
    public async Task<DeliveredResponse> SendAsync(RequestKind kind)
    {
        var requestId = "dur-" + Guid.NewGuid().ToString("N");
        var path = kind == RequestKind.Sse
            ? $"/v1beta/models/{Model}:streamGenerateContent?alt=sse"
            : $"/v1beta/models/{Model}:generateContent";
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        GeminiRequests.WithIdentity(request, _key, requestId: requestId);
        if (kind == RequestKind.Sse)
        {
            request.Headers.Add(FakeHeaders.PaceMs, SsePaceMs.ToString(CultureInfo.InvariantCulture));
        }
        else if (kind == RequestKind.SizedJson)
        {
            request.Headers.Add(FakeHeaders.Tag, SizedTag);
        }

        using var timeout = new CancellationTokenSource(RequestTimeout);
        var status = 0;
        var sized = false;
        string? echoed = null;
        string? errorBody = null;
        DeliveredResponse delivered;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            echoed = GeminiRequests.Header(response, "x-request-id");
            sized = response.Content.Headers.ContentLength is not null;
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            errorBody = await ReadToEndAsync(body, keepText: !response.IsSuccessStatusCode, timeout.Token);
            delivered = new DeliveredResponse(requestId, kind, status, Complete: true, sized, echoed, Failure: null, errorBody);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            delivered = new DeliveredResponse(requestId, kind, status, Complete: false, sized, echoed, exception.GetType().Name, errorBody);
        }

        _responses.Enqueue(delivered);
        if (delivered.CompleteAnswer)
        {
            Interlocked.Increment(ref _completeAnswers);
        }

        return delivered;
    }

    /// <summary>No loop starts another request; those in flight go on to their end.</summary>
    public void Halt() => _stop.Cancel();

    /// <summary>Stops the loops once their requests in flight have ended, and returns every exchange.</summary>
    public async Task<IReadOnlyList<DeliveredResponse>> StopAsync()
    {
        Halt();
        await Task.WhenAll(_loops);
        return Responses;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync(int seed)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<RequestKind>();
        while (!_stop.IsCancellationRequested)
        {
            var response = await SendAsync(kinds[random.Next(kinds.Length)]);
            // A gateway that is down or refusing answers at once; a short pause keeps the loop from spinning.
            if (!response.CompleteAnswer)
            {
                await PauseAsync(50);
            }
        }
    }

    private async Task PauseAsync(int milliseconds)
    {
        try
        {
            await Task.Delay(milliseconds, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends at its next check.
        }
    }

    /// <summary>Reads a body to its clean end; returns its start as text when asked (error bodies are small).</summary>
    private static async Task<string?> ReadToEndAsync(Stream body, bool keepText, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var kept = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (keepText && kept.Length < 4096)
                {
                    kept.Write(buffer, 0, Math.Min(read, 4096 - (int)kept.Length));
                }
            }

            return keepText ? Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
