using System.Text;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

using Routescope.Gateway.Metering;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>
/// The end of an answer waits for its record: what the client has before <see cref="MeteringStream.DeliverRestAsync"/>
/// is never a complete answer, and everything before the end streams as it comes.
/// </summary>
public sealed class AnswerEndHoldTests
{
    private const string Json = """{"candidates":[{"content":{"parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":5}}""";

    [Fact]
    public async Task A_content_length_body_lacks_its_last_byte_until_the_record_is_durable()
    {
        var (context, client, lifetime) = NewContext("application/json", Encoding.UTF8.GetByteCount(Json));
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);
        var body = Encoding.UTF8.GetBytes(Json);

        await metering.WriteAsync(body.AsMemory(0, 40));
        await metering.WriteAsync(body.AsMemory(40));
        metering.Complete();

        Assert.Equal(body[..^1], client.ToArray());
        await metering.DeliverRestAsync(recorded: true);
        Assert.Equal(body, client.ToArray());
        Assert.False(lifetime.Aborted);
    }

    [Fact]
    public async Task Sse_events_stream_as_they_come_and_only_the_finishing_events_end_waits()
    {
        const string First = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}\r\n\r\n";
        const string Last = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3}}\r\n\r\n";
        var (context, client, _) = NewContext("text/event-stream", null);
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);

        await metering.WriteAsync(Encoding.UTF8.GetBytes(First));
        Assert.Equal(First, Encoding.UTF8.GetString(client.ToArray()));
        await metering.WriteAsync(Encoding.UTF8.GetBytes(Last));

        // The last event's data line is there; the blank line that makes a client act on it is not.
        Assert.Equal(First + Last[..^2], Encoding.UTF8.GetString(client.ToArray()));
        await metering.DeliverRestAsync(recorded: true);
        Assert.Equal(First + Last, Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task Bytes_after_a_finishing_event_release_it_first_in_order()
    {
        const string Finishing = "data: {\"candidates\":[{\"finishReason\":\"STOP\"}]}\n\n";
        const string After = "data: {\"usageMetadata\":{\"promptTokenCount\":3}}\n\n";
        var (context, client, _) = NewContext("text/event-stream", null);
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);

        await metering.WriteAsync(Encoding.UTF8.GetBytes(Finishing));
        await metering.WriteAsync(Encoding.UTF8.GetBytes(After));

        Assert.Equal(Finishing + After, Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task A_second_candidate_finishing_for_the_same_reason_is_held_too()
    {
        const string First = "data: {\"candidates\":[{\"index\":0,\"finishReason\":\"STOP\"}]}\n\n";
        const string Second = "data: {\"candidates\":[{\"index\":1,\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3}}\n\n";
        var (context, client, _) = NewContext("text/event-stream", null);
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);

        await metering.WriteAsync(Encoding.UTF8.GetBytes(First));
        await metering.WriteAsync(Encoding.UTF8.GetBytes(Second));

        Assert.Equal(First + Second[..^1], Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task A_compressed_chunk_that_ends_the_answer_is_held_whole()
    {
        // Any byte of a compressed chunk may decode to the blank line that makes the event whole.
        const string Opening = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}\n\n";
        const string Finishing = "data: {\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3}}\n\n";
        var (context, client, _) = NewContext("text/event-stream", null);
        context.Response.Headers.ContentEncoding = "gzip";
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);
        var (opening, finishing) = GzipInTwoFlushes(Opening, Finishing);

        await metering.WriteAsync(opening);
        Assert.Equal(opening, client.ToArray());
        await metering.WriteAsync(finishing);

        Assert.Equal(opening, client.ToArray());
        await metering.DeliverRestAsync(recorded: true);
        Assert.Equal([.. opening, .. finishing], client.ToArray());
    }

    [Fact]
    public async Task An_answer_whose_record_could_not_be_kept_ends_in_a_cut_connection()
    {
        var (context, client, lifetime) = NewContext("application/json", Encoding.UTF8.GetByteCount(Json));
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: true);

        await metering.WriteAsync(Encoding.UTF8.GetBytes(Json));
        metering.Complete();
        await metering.DeliverRestAsync(recorded: false);

        Assert.True(lifetime.Aborted);
        Assert.Equal(Encoding.UTF8.GetByteCount(Json) - 1, client.Length);
    }

    [Fact]
    public async Task Without_the_hold_every_byte_goes_out_at_once()
    {
        var (context, client, _) = NewContext("application/json", Encoding.UTF8.GetByteCount(Json));
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure, holdEnd: false);

        await metering.WriteAsync(Encoding.UTF8.GetBytes(Json));

        Assert.Equal(Json, Encoding.UTF8.GetString(client.ToArray()));
    }

    /// <summary>One gzip stream, flushed after each part: the bytes of each part as they would cross the wire.</summary>
    private static (byte[] First, byte[] Second) GzipInTwoFlushes(string first, string second)
    {
        var wire = new MemoryStream();
        using var gzip = new System.IO.Compression.GZipStream(wire, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(Encoding.UTF8.GetBytes(first));
        gzip.Flush();
        var split = (int)wire.Length;
        gzip.Write(Encoding.UTF8.GetBytes(second));
        gzip.Dispose();
        var all = wire.ToArray();
        return (all[..split], all[split..]);
    }

    private static (DefaultHttpContext Context, MemoryStream Client, AbortRecorder Lifetime) NewContext(string contentType, long? contentLength)
    {
        var context = new DefaultHttpContext();
        var lifetime = new AbortRecorder();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        var client = new MemoryStream();
        context.Response.Body = client;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = contentLength;
        return (context, client, lifetime);
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }

    private sealed class AbortRecorder : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }
}
