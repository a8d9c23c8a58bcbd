using System.Text;
using System.Text.Json;

using CsCheck;

using static Routescope.Gateway.Tests.Metering.WireBodies;

namespace Routescope.Gateway.Tests.Metering;

public sealed class UsageScannerTests
{
    private static readonly string[] CountNames = ["promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount", "toolUsePromptTokenCount", "totalTokenCount"];

    private const string Json = """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Here \"is\" {your} [image]"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},"finishReason":"STOP","index":0,"safetyRatings":[]}],
         "promptFeedback":{"safetyRatings":[{"category":"x","probability":"NEGLIGIBLE"}]},
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1298,"totalTokenCount":1321,"thoughtsTokenCount":8,"cachedContentTokenCount":0,"toolUsePromptTokenCount":3,
           "promptTokensDetails":[{"modality":"TEXT","tokenCount":12}],"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]},
         "modelVersion":"gemini-2.5-flash-image","responseId":"resp-1"}
        """;

    private const string Sse =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AAAA\\/\\\"\"}}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1302,\"totalTokenCount\":1312,\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1290}]},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n";

    /// <summary>A stream with all the SSE framing the standard allows: comments, ignored fields, multi-line data, every line end.</summary>
    private const string FramedSse =
        "\uFEFF: keep-alive {\"usageMetadata\":{\"totalTokenCount\":999999}}\n"
        + "event: message\r\nid: 1\rretry: 3000\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\n"
        + "data:\"usageMetadata\":{\"promptTokenCount\":10,\"thoughtsTokenCount\":4,\"totalTokenCount\":14}}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"QUFB\"}}]},\"finishReason\":\"ST\\u004fP\"}],\r"
        + "data: \"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1300,\"totalTokenCount\":1314,\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1290}]},\"modelVersion\":\"v\"}\r\r";

    [Fact]
    public void A_json_response_yields_its_usage_model_images_and_finish()
    {
        var seen = Tap(Json);

        Assert.True(seen.Balanced);
        Assert.Equal("gemini-2.5-flash-image", seen.ModelVersion);
        Assert.Equal("resp-1", seen.ResponseId);
        Assert.Equal(1, seen.Images);
        Assert.Equal(["STOP"], seen.FinishReasons);
        var usage = seen.Usage!;
        Assert.Equal((12, 1298, 8, 0, 3, 1321), (usage.PromptTokens, usage.CandidatesTokens, usage.ThoughtsTokens, usage.CachedContentTokens, usage.ToolUsePromptTokens, usage.TotalTokens));
        Assert.Equal(12, usage.PromptByModality["TEXT"]);
        Assert.Equal(1290, usage.OutputImageTokens);
        Assert.Equal(8, usage.OutputTextTokens);
        Assert.True(usage.ReportsImageModality);
        Assert.True(usage.TotalMatches);
        Assert.False(seen.UsageInvalid || seen.UsageTorn || seen.Unmetered);
        Assert.Equal(Encoding.UTF8.GetByteCount(Json), seen.Bytes);
    }

    [Fact]
    public void An_sse_stream_yields_the_totals_of_the_last_event_carrying_them()
    {
        var seen = Tap(Sse, EventStream);

        Assert.True(seen.Balanced);
        Assert.Equal(1, seen.Images);
        Assert.Equal(["STOP"], seen.FinishReasons);
        Assert.Equal(1302, seen.Usage!.CandidatesTokens);
        Assert.Equal(1312, seen.Usage.TotalTokens);
        Assert.Equal(1290, seen.Usage.OutputImageTokens);
    }

    [Fact]
    public void A_json_array_stream_is_understood()
    {
        var array = "[" + Json + ",\r\n" + Json.Replace("1321", "2000", StringComparison.Ordinal) + "]";
        var seen = Tap(array);

        Assert.True(seen.Balanced);
        Assert.Equal(2, seen.Images);
        Assert.Equal(2000, seen.Usage!.TotalTokens);
    }

    [Fact]
    public void A_truncated_response_is_unbalanced_and_keeps_what_it_saw()
    {
        var cut = Sse[..(Sse.Length - 60)];
        var seen = Tap(cut, EventStream);

        Assert.False(seen.Balanced);
        Assert.Equal(10, seen.Usage!.PromptTokens);
        Assert.Equal(0, seen.Usage.CandidatesTokens);
    }

    [Fact]
    public void A_response_without_usage_has_none()
    {
        var seen = Tap("""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"SAFETY"}]}""");

        Assert.Null(seen.Usage);
        Assert.Equal(["SAFETY"], seen.FinishReasons);
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void Usage_nested_elsewhere_is_not_mistaken_for_the_response_usage()
    {
        var seen = Tap("""{"candidates":[{"content":{"parts":[{"functionCall":{"args":{"usageMetadata":{"totalTokenCount":999}}}}]}}],"usageMetadata":{"totalTokenCount":5}}""");

        Assert.Equal(5, seen.Usage!.TotalTokens);
    }

    [Fact]
    public void Escaped_modalities_and_keys_mean_what_json_says()
    {
        var seen = Tap("""{"usageMetadata":{"candidates\u0054okenCount":1300,"candidatesTokensDetails":[{"modality":"IM\u0041GE","tokenCount":1290},{"modality":"T\u0045XT","token\u0043ount":10}]}}""");

        Assert.Equal(1300, seen.Usage!.CandidatesTokens);
        Assert.Equal(1290, seen.Usage.OutputImageTokens);
        Assert.Equal(10, seen.Usage.CandidatesByModality["TEXT"]);
        Assert.True(seen.Usage.ReportsImageModality);
        Assert.False(seen.UsageInvalid);
    }

    [Fact]
    public void A_modality_listed_twice_is_summed()
    {
        var seen = Tap("""{"usageMetadata":{"candidatesTokenCount":2580,"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290},{"modality":"IMAGE","tokenCount":1290}],"promptTokensDetails":[{"modality":"TEXT","tokenCount":5},{"modality":"IMAGE","tokenCount":258},{"modality":"TEXT","tokenCount":7}]}}""");

        Assert.Equal(2580, seen.Usage!.OutputImageTokens);
        Assert.Equal(0, seen.Usage.OutputTextTokens);
        Assert.Equal(12, seen.Usage.PromptByModality["TEXT"]);
        Assert.Equal(258, seen.Usage.PromptByModality["IMAGE"]);
    }

    [Theory]
    [InlineData("12.5")]
    [InlineData("-3")]
    [InlineData("99999999999999999999")]
    [InlineData("1e3")]
    [InlineData("\"12\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{\"value\":12}")]
    public void A_count_that_is_no_non_negative_long_is_absent_and_flags_the_usage_invalid(string count)
    {
        var seen = Tap("{\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":" + count + ",\"totalTokenCount\":7}}");

        Assert.True(seen.UsageInvalid);
        Assert.Equal(0, seen.Usage!.CandidatesTokens);
        Assert.Equal(7, seen.Usage.PromptTokens);
        Assert.Equal(7, seen.Usage.TotalTokens);
    }

    [Fact]
    public void An_invalid_count_keeps_the_value_an_earlier_event_reported()
    {
        var seen = Tap(
            "data: {\"usageMetadata\":{\"candidatesTokenCount\":40}}\n\n"
            + "data: {\"usageMetadata\":{\"candidatesTokenCount\":40.5}}\n\n",
            EventStream);

        Assert.True(seen.UsageInvalid);
        Assert.Equal(40, seen.Usage!.CandidatesTokens);
    }

    [Fact]
    public void An_invalid_detail_count_drops_only_that_entry()
    {
        var seen = Tap("""{"usageMetadata":{"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":-1290},{"modality":"TEXT","tokenCount":8}]}}""");

        Assert.True(seen.UsageInvalid);
        Assert.False(seen.Usage!.ReportsImageModality);
        Assert.Equal(8, seen.Usage.CandidatesByModality["TEXT"]);
    }

    [Fact]
    public void A_valid_usage_block_is_not_flagged()
    {
        var seen = Tap("""{"usageMetadata":{"promptTokenCount":0,"candidatesTokenCount":9223372036854775807,"trafficType":"ON_DEMAND","cacheTokensDetails":[{"modality":"TEXT"}]}}""");

        Assert.False(seen.UsageInvalid);
        Assert.Equal(long.MaxValue, seen.Usage!.CandidatesTokens);
    }

    [Fact]
    public void Usage_blocks_of_a_stream_merge_field_by_field_and_detail_lists_as_a_whole()
    {
        var seen = Tap(
            "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"thoughtsTokenCount\":30,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":10}],\"candidatesTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":3}]}}\n\n"
            + "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1300,\"totalTokenCount\":1340,\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1290}]}}\n\n",
            EventStream);

        var usage = seen.Usage!;
        Assert.Equal((10, 1300, 30, 1340), (usage.PromptTokens, usage.CandidatesTokens, usage.ThoughtsTokens, usage.TotalTokens));
        Assert.Equal(10, usage.PromptByModality["TEXT"]);
        Assert.Equal(["IMAGE"], usage.CandidatesByModality.Keys);
        Assert.True(usage.TotalMatches);
    }

    [Fact]
    public void A_usage_block_the_body_ends_in_is_torn_and_earlier_blocks_count()
    {
        var seen = Tap(
            "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10}}\n\n"
            + "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":12",
            EventStream);

        Assert.True(seen.UsageTorn);
        Assert.False(seen.Balanced);
        Assert.Equal((10, 0, 10), (seen.Usage!.PromptTokens, seen.Usage.CandidatesTokens, seen.Usage.TotalTokens));
    }

    [Fact]
    public void A_usage_block_its_event_ends_in_is_torn_and_the_next_event_still_counts()
    {
        var seen = Tap(
            "data: {\"usageMetadata\":{\"promptTokenCount\":99,\"tota\n\n"
            + "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"m\"}\n\n",
            EventStream);

        Assert.True(seen.UsageTorn);
        Assert.False(seen.Balanced);
        Assert.Equal((10, 10), (seen.Usage!.PromptTokens, seen.Usage.TotalTokens));
        Assert.Equal("m", seen.ModelVersion);
    }

    [Fact]
    public void A_usage_block_over_the_capture_limit_is_torn_and_the_scan_goes_on()
    {
        var padding = new string('x', 70 * 1024);
        var seen = Tap("{\"usageMetadata\":{\"promptTokenCount\":5,\"note\":\"" + padding + "\"},\"modelVersion\":\"after\"}");

        Assert.True(seen.UsageTorn);
        Assert.Null(seen.Usage);
        Assert.Equal("after", seen.ModelVersion);
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void A_usage_block_with_braces_and_escapes_in_its_strings_is_read_whole()
    {
        var seen = Tap("""{"usageMetadata":{"note":"}{\"}\\","promptTokenCount":3},"modelVersion":"m"}""");

        Assert.Equal(3, seen.Usage!.PromptTokens);
        Assert.Equal("m", seen.ModelVersion);
        Assert.True(seen.Balanced);
    }

    [Theory]
    [InlineData("""{"thought":true,"inlineData":{"mimeType":"image/png","data":"QUFB"}}""")]
    [InlineData("""{"inlineData":{"mimeType":"image/png","data":"QUFB"},"thought" : true}""")]
    public void A_thought_image_is_no_final_image(string thoughtPart)
    {
        var seen = Tap("{\"candidates\":[{\"content\":{\"parts\":[" + thoughtPart + ",{\"thought\":false,\"inline_data\":{\"data\":\"QkJC\"}}]}}]}");

        Assert.Equal(1, seen.Images);
        Assert.Equal(1, seen.ThoughtImages);
    }

    [Fact]
    public void An_image_cut_off_before_its_part_closes_counts_nothing()
    {
        var seen = Tap(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"QUFBQUFB\n\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"QUFB\"}\n\n",
            EventStream);

        Assert.Equal(0, seen.Images);
        Assert.Equal(0, seen.ThoughtImages);
        Assert.False(seen.Balanced);
    }

    [Fact]
    public void Finish_reasons_are_decoded_distinct_and_in_order()
    {
        var seen = Tap("""[{"candidates":[{"finishReason":"ST\u004FP"},{"finishReason":"MAX_TOKENS"}]},{"candidates":[{"finishReason":"STOP"},{"finish_reason":"IMAGE_SAFETY"}]}]""");

        Assert.Equal(["STOP", "MAX_TOKENS", "IMAGE_SAFETY"], seen.FinishReasons);
    }

    [Fact]
    public void A_blocked_prompt_says_why()
    {
        var seen = Tap("""{"promptFeedback":{"blockReason":"PROHIBITED_\u0043ONTENT","safetyRatings":[]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}""");

        Assert.Equal("PROHIBITED_CONTENT", seen.BlockReason);
        Assert.Equal(8, seen.Usage!.PromptTokens);
        Assert.Empty(seen.FinishReasons);
    }

    [Theory]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":20,"thoughtsTokenCount":5,"toolUsePromptTokenCount":2,"cachedContentTokenCount":4,"totalTokenCount":37}""", true)]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":20,"totalTokenCount":31}""", false)]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":20}""", true)]
    [InlineData("""{"promptTokenCount":9223372036854775807,"candidatesTokenCount":1,"totalTokenCount":0}""", false)]
    public void The_total_is_checked_against_its_parts(string usage, bool matches)
    {
        var seen = Tap("{\"usageMetadata\":" + usage + "}");

        Assert.Equal(matches, seen.Usage!.TotalMatches);
    }

    [Fact]
    public void Candidates_without_an_image_modality_do_not_report_one()
    {
        var seen = Tap("""{"usageMetadata":{"candidatesTokenCount":20,"candidatesTokensDetails":[{"modality":"TEXT","tokenCount":20}]}}""");

        Assert.False(seen.Usage!.ReportsImageModality);
        Assert.Equal(0, seen.Usage.OutputImageTokens);
    }

    [Theory]
    [InlineData(Json, null)]
    [InlineData(Sse, EventStream)]
    [InlineData(FramedSse, EventStream)]
    public void Every_split_point_of_every_coding_gives_the_same_result_as_the_whole(string body, string? contentType)
    {
        var whole = Describe(Tap(Encoding.UTF8.GetBytes(body), null, contentType) with { Bytes = 0 });
        foreach (var (coding, header) in Codings)
        {
            var wire = Encode(body, coding);
            for (var split = 0; split <= wire.Length; split++)
            {
                var seen = TapSplit(wire, header, contentType, split);
                Assert.Equal(wire.Length, seen.Bytes);
                Assert.Equal(whole, Describe(seen with { Bytes = 0, ContentEncoding = null }));
            }
        }
    }

    [Fact]
    public void The_framed_stream_is_read_as_the_standard_says()
    {
        var seen = Tap(FramedSse, EventStream);

        Assert.True(seen.Balanced);
        Assert.Equal(1, seen.Images);
        Assert.Equal(["STOP"], seen.FinishReasons);
        Assert.Equal("v", seen.ModelVersion);
        var usage = seen.Usage!;
        Assert.Equal((10, 1300, 4, 1314), (usage.PromptTokens, usage.CandidatesTokens, usage.ThoughtsTokens, usage.TotalTokens));
        Assert.True(usage.TotalMatches);
    }

    [Fact]
    public void Random_chunkings_of_random_responses_match_a_full_parse()
    {
        var tokens = Gen.Int[0, 5000];
        var response = Gen.Select(tokens, tokens, tokens, Gen.Int[0, 3], Gen.Int[0, 400], (prompt, candidates, thoughts, images, textLength) =>
        {
            var parts = string.Join(",", Enumerable.Range(0, images).Select(i => "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + new string('Q', 4 * (i + 1) * 50) + "\"}" + (i == 2 ? ",\"thought\":true" : string.Empty) + "}")
                .Prepend($$"""{"text":"{{new string('t', textLength)}}\n\"q\""}"""));
            return $$$"""{"candidates":[{"content":{"parts":[{{{parts}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":{{{prompt}}},"candidatesTokenCount":{{{candidates}}},"thoughtsTokenCount":{{{thoughts}}},"totalTokenCount":{{{prompt + candidates + thoughts}}},"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":{{{candidates / 2}}}}]},"modelVersion":"v"}""";
        });

        Gen.Select(response, Gen.Int[0, Codings.Length - 1], Gen.Int[1, 257].Array[1, 8]).Sample((body, coding, chunks) =>
        {
            var seen = Tap(Encode(body, Codings[coding].Name), Codings[coding].Header, null, chunks);

            Assert.Equal(Describe(Tap(body) with { Bytes = 0 }), Describe(seen with { Bytes = 0, ContentEncoding = null }));
            using var reference = JsonDocument.Parse(body);
            var usage = reference.RootElement.GetProperty("usageMetadata");
            Assert.Equal(usage.GetProperty("promptTokenCount").GetInt64(), seen.Usage!.PromptTokens);
            Assert.Equal(usage.GetProperty("candidatesTokenCount").GetInt64(), seen.Usage.CandidatesTokens);
            Assert.Equal(usage.GetProperty("thoughtsTokenCount").GetInt64(), seen.Usage.ThoughtsTokens);
            Assert.Equal(usage.GetProperty("totalTokenCount").GetInt64(), seen.Usage.TotalTokens);
            Assert.Equal(usage.GetProperty("candidatesTokensDetails")[0].GetProperty("tokenCount").GetInt64(), seen.Usage.OutputImageTokens);
            var parts = reference.RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray().ToArray();
            Assert.Equal(parts.Count(p => p.TryGetProperty("inlineData", out _) && !p.TryGetProperty("thought", out _)), seen.Images);
            Assert.Equal(parts.Count(p => p.TryGetProperty("thought", out _)), seen.ThoughtImages);
            Assert.True(seen.Balanced && seen.Usage.TotalMatches);
        });
    }

    [Fact]
    public void Random_chunkings_of_random_event_streams_match_the_merged_usage()
    {
        var lineEnd = Gen.OneOf("\r\n", "\n", "\r");
        var usage = Gen.Select(Gen.Int[0, 3000].Array[6], Gen.Bool.Array[6], (counts, present) => (Counts: counts, Present: present));
        var sseEvent = Gen.Select(usage, Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gen.Int[1, 4], (u, image, comment, fields, dataLines) => (Usage: u, Image: image, Comment: comment, Fields: fields, DataLines: dataLines));
        var stream = Gen.Select(sseEvent.Array[1, 6], lineEnd, Gen.Bool);

        Gen.Select(stream, Gen.Int[0, Codings.Length - 1], Gen.Int[1, 257].Array[1, 8]).Sample((generated, coding, chunks) =>
        {
            var (events, end, mixEnds) = generated;
            var body = new StringBuilder();
            long?[] expected = new long?[6];
            var expectedImages = 0;
            for (var e = 0; e < events.Length; e++)
            {
                var (u, image, comment, fields, dataLines) = events[e];
                var eol = mixEnds && e % 2 == 1 ? "\n" : end;
                var counts = string.Join(",", Enumerable.Range(0, 6).Where(f => u.Present[f]).Select(f => $"\"{CountNames[f]}\":{u.Counts[f]}"));
                for (var f = 0; f < 6; f++)
                {
                    expected[f] = u.Present[f] ? u.Counts[f] : expected[f];
                }

                var part = image > 0 ? "{\"inlineData\":{\"data\":\"" + new string('A', 400 * image) + "\"}" + (image == 2 ? ",\"thought\":true" : string.Empty) + "}" : "{\"text\":\"x: y\"}";
                expectedImages += image == 1 ? 1 : 0;
                var json = "{\"candidates\":[{\"content\":{\"parts\":[" + part + "]}}],\"usageMetadata\":{" + counts + "},\"modelVersion\":\"m" + e + "\"}";
                if (comment)
                {
                    body.Append(": {\"usageMetadata\":{\"promptTokenCount\":123456}}").Append(eol);
                }

                if (fields)
                {
                    body.Append("event: message").Append(eol).Append("id:").Append(e).Append(eol);
                }

                // Data lines split at the JSON's commas, joined again with '\n' by the framer (JSON whitespace).
                var pieces = json.Split(',');
                var perLine = (pieces.Length + dataLines - 1) / dataLines;
                for (var p = 0; p < pieces.Length; p += perLine)
                {
                    body.Append(p % 2 == 0 ? "data: " : "data:").Append(string.Join(",", pieces.Skip(p).Take(perLine))).Append(p + perLine < pieces.Length ? "," : string.Empty).Append(eol);
                }

                body.Append(eol);
            }

            var text = body.ToString();
            var seen = Tap(Encode(text, Codings[coding].Name), Codings[coding].Header, EventStream, chunks);

            Assert.Equal(Describe(Tap(text, EventStream) with { Bytes = 0 }), Describe(seen with { Bytes = 0, ContentEncoding = null }));
            Assert.True(seen.Balanced);
            Assert.False(seen.UsageInvalid || seen.UsageTorn);
            Assert.Equal("m" + (events.Length - 1), seen.ModelVersion);
            Assert.Equal(expectedImages, seen.Images);
            var merged = seen.Usage!;
            Assert.Equal(expected.Select(v => v ?? 0L).ToArray(), new[] { merged.PromptTokens, merged.CandidatesTokens, merged.ThoughtsTokens, merged.CachedContentTokens, merged.ToolUsePromptTokens, merged.TotalTokens });
            Assert.Equal(expected[5] is not null, merged.ReportsTotal);
        });
    }
}
