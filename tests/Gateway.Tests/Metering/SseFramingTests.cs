using System.Text;

using static Routescope.Gateway.Tests.Metering.WireBodies;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>An event stream is framed as the WHATWG standard says before its JSON is read.</summary>
public sealed class SseFramingTests
{
    private const string Final = "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10}}\n\n";

    [Fact]
    public void A_comment_line_is_ignored_even_when_it_holds_json()
    {
        var seen = Tap(": {\"usageMetadata\":{\"promptTokenCount\":777}}\n" + Final + ":{\"usageMetadata\":{\"totalTokenCount\":888}}\n\n", EventStream);

        Assert.Equal((10, 10), (seen.Usage!.PromptTokens, seen.Usage.TotalTokens));
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void Event_id_retry_and_unknown_fields_are_ignored()
    {
        var seen = Tap(
            "event: {\"usageMetadata\":{\"promptTokenCount\":1}}\nid: {\"usageMetadata\":{\"promptTokenCount\":2}}\nretry: 10\n"
            + "database: {\"usageMetadata\":{\"promptTokenCount\":3}}\ndat: {\"usageMetadata\":{\"promptTokenCount\":4}}\n" + Final,
            EventStream);

        Assert.Equal(10, seen.Usage!.PromptTokens);
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void The_data_lines_of_one_event_are_joined_into_one_document()
    {
        var seen = Tap("data: {\"usageMetadata\":\ndata:  {\"promptTokenCount\":\ndata:12}\ndata\ndata: ,\"modelVersion\":\"m\"}\n\n", EventStream);

        Assert.Equal(12, seen.Usage!.PromptTokens);
        Assert.Equal("m", seen.ModelVersion);
        Assert.True(seen.Balanced);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Every_line_end_ends_lines_and_events(string eol)
    {
        var seen = Tap(
            "data: {\"usageMetadata\":" + eol + "data: {\"promptTokenCount\":10}}" + eol + eol
            + ": comment" + eol + "data: {\"usageMetadata\":{\"candidatesTokenCount\":5}}" + eol + eol,
            EventStream);

        Assert.Equal((10, 5), (seen.Usage!.PromptTokens, seen.Usage.CandidatesTokens));
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void An_event_cut_off_mid_json_does_not_spoil_the_next()
    {
        var seen = Tap("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"cut \\\"}{\n\n" + Final, EventStream);

        Assert.False(seen.Balanced);
        Assert.Equal((10, 10), (seen.Usage!.PromptTokens, seen.Usage.TotalTokens));
        Assert.False(seen.UsageTorn);
    }

    [Fact]
    public void A_body_served_as_json_is_not_framed()
    {
        // Only text/event-stream is framed; a JSON body's bytes outside its value are ignored, as before.
        var seen = Tap(Final, "application/json; charset=UTF-8");

        Assert.Equal(10, seen.Usage!.PromptTokens);
    }

    [Fact]
    public void The_media_type_is_matched_without_case_or_parameters()
    {
        var seen = Tap(": {\"usageMetadata\":{\"promptTokenCount\":777}}\n" + Final, "Text/Event-Stream; charset=utf-8");

        Assert.Equal(10, seen.Usage!.PromptTokens);
    }

    [Fact]
    public void A_multi_megabyte_data_line_passes_through_without_being_buffered()
    {
        var image = new string('Q', 20 * 1024 * 1024);
        var body = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + image + "\"}}]}}]," + Final[7..]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var seen = Tap(body, null, EventStream, [64 * 1024]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, seen.Images);
        Assert.Equal(10, seen.Usage!.PromptTokens);
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated reading a 20 MB event");
    }
}
