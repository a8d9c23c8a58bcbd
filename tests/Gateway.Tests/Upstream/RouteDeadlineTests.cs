using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Fake;
using Routescope.Gateway.Fallback;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>
/// The route's overall deadline is the gateway's, not the client's departure: a Gemini 504 before the answer started,
/// a cut connection after, a record that names it, and no model blamed for it.
/// </summary>
public sealed class RouteDeadlineTests(RouteDeadlineFixture gateway) : IClassFixture<RouteDeadlineFixture>
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    /// <summary>Far past the 2 s deadline; the fake stops early once the gateway hangs up.</summary>
    private const string Silent = "30000";

    [Fact]
    public async Task A_deadline_before_the_answer_started_is_a_gemini_504_recorded_as_the_deadline()
    {
        var key = await gateway.CreateKeyAsync("deadline-before");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.DelayMs, Silent);

        using var response = await gateway.Client.SendAsync(request);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED");
        Assert.Contains("deadline", message, StringComparison.Ordinal);
        var record = Single(await gateway.RecordsAsync([id]), id);
        Assert.Equal((UsageOutcome.DeadlineExceeded, 504, Flash25), (record.Outcome, record.HttpStatus, record.ServedModel));
        // The upstream was sent the request and may bill the work: estimated, as a timed-out attempt is.
        Assert.Equal(UsageCostBasis.Estimated, record.CostBasis);
    }

    [Fact]
    public async Task A_deadline_in_a_chain_stops_it_names_the_model_it_cut_and_blames_no_model()
    {
        var key = await gateway.CreateKeyAsync("deadline-chain");
        using var request = GeminiRequests.Generate(key.Key, model: Flash31);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.DelayMs, Silent);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 503 } : null;

        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED");
        var chain = $"{Flash31} 503 -> {Flash25} deadline-exceeded";
        Assert.Equal(chain, GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Equal([Flash31, Flash25], gateway.UpstreamReceived(id).Select(r => r.Model));
        var record = Single(await gateway.RecordsAsync([id]), id);
        Assert.Equal((UsageOutcome.DeadlineExceeded, chain), (record.Outcome, record.FallbackChain));

        // One failure would have opened it: the model the deadline cut is still served at once.
        var breakers = gateway.Factory.Services.GetRequiredService<CircuitBreakers>();
        Assert.Equal(BreakerState.Closed, breakers.For(Flash25).State);
        using var next = GeminiRequests.Generate(key.Key);
        using var served = await gateway.Client.SendAsync(next);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(Flash25, GeminiRequests.Header(served, "x-gateway-model"));
    }

    [Fact]
    public async Task A_deadline_after_the_answer_started_cuts_the_connection_and_is_recorded_as_the_deadline()
    {
        var key = await gateway.CreateKeyAsync("deadline-after");
        using var request = GeminiRequests.WithIdentity(
            new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Flash25}:streamGenerateContent?alt=sse")
            {
                Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
            },
            key.Key);
        var id = GeminiRequests.RequestId(request);
        // The first event goes out at once, then the upstream drips: the deadline falls mid-answer.
        request.Headers.Add(FakeHeaders.PaceMs, "10000");

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var cut = await Record.ExceptionAsync(() => body.CopyToAsync(Stream.Null));

        Assert.True(cut is IOException or HttpRequestException, "the answer was not cut: " + (cut?.GetType().Name ?? "it ended normally"));
        var record = Single(await gateway.RecordsAsync([id]), id);
        Assert.Equal((UsageOutcome.DeadlineExceeded, 200), (record.Outcome, record.HttpStatus));
        Assert.Equal(BreakerState.Closed, gateway.Factory.Services.GetRequiredService<CircuitBreakers>().For(Flash25).State);
    }

    [Fact]
    public async Task A_client_that_leaves_before_the_deadline_is_still_client_aborted()
    {
        // The gateway keeps waiting for the answer after the client left (to bill it) until the deadline cuts the
        // wait: the departure came first, so the record is the client's.
        var key = await gateway.CreateKeyAsync("deadline-left");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.DelayMs, Silent);
        using var leave = new CancellationTokenSource();

        var sending = gateway.Client.SendAsync(request, leave.Token);
        await Eventually.TrueAsync(() => gateway.Upstream.Received.Any(r => r.Header("x-request-id") == id));
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        var record = Single(await gateway.RecordsAsync([id]), id);
        Assert.Equal(UsageOutcome.ClientAborted, record.Outcome);
    }

    [Fact]
    public async Task A_body_still_uploading_at_the_deadline_gets_a_gemini_504()
    {
        // The deadline covers the whole request, the client's upload included: the step reading the body gives up by
        // throwing, which ASP.NET Core's timeout middleware alone would answer with an empty 504.
        var key = await gateway.CreateKeyAsync("deadline-upload");
        var id = GeminiRequests.NewRequestId();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.Factory.Address.Host, gateway.Factory.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /v1beta/models/{Flash25}:generateContent HTTP/1.1\r\nHost: {gateway.Factory.Address.Authority}\r\n"
            + $"Authorization: Bearer {key.Key}\r\nx-request-id: {id}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"contents\":[{\"parts\":[{\"text\":\""));

        var (status, body) = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(504, status);
        GeminiErrorAssert.IsError(body, 504, "DEADLINE_EXCEEDED");
        Assert.Empty(gateway.UpstreamReceived(id));
    }

    /// <summary>One response off the wire: its status and its Content-Length body (the connection may stay open).</summary>
    private static async Task<(int Status, string Body)> ReadResponseAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.ASCII.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lengthLine = text[..end].Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                if (received.Count >= end + 4 + length)
                {
                    return (int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture), Encoding.UTF8.GetString([.. received], end + 4, length));
                }
            }

            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new IOException("The gateway closed the connection before a whole response: " + text);
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private static UsageRecord Single(IReadOnlyList<UsageRecord> records, string id) => Assert.Single(records, r => r.RequestId == id);
}
