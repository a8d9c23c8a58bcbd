using System.Text;
using System.Text.Json;

using CsCheck;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering;

namespace Routescope.Gateway.Tests.Metering;

public sealed class UsageScannerTests
{
    private const string Json = """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Here \"is\" {your} [image]"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},"finishReason":"STOP","index":0,"safetyRatings":[]}],
         "promptFeedback":{"safetyRatings":[{"category":"x","probability":"NEGLIGIBLE"}]},
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1298,"totalTokenCount":1318,"thoughtsTokenCount":8,"cachedContentTokenCount":0,"toolUsePromptTokenCount":3,
           "promptTokensDetails":[{"modality":"TEXT","tokenCount":12}],"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]},
         "modelVersion":"gemini-2.5-flash-image","responseId":"resp-1"}
        """;

    private const string Sse =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AAAA\\/\\\"\"}}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1302,\"totalTokenCount\":1312,\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1290}]},\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n";

    [Fact]
    public void A_json_response_yields_its_usage_model_images_and_finish()
    {
        var seen = Scan(Json);

        Assert.True(seen.Balanced);
        Assert.Equal("gemini-2.5-flash-image", seen.ModelVersion);
        Assert.Equal("resp-1", seen.ResponseId);
        Assert.Equal(1, seen.Images);
        Assert.Equal(["STOP"], seen.FinishReasons);
        var usage = seen.Usage!;
        Assert.Equal((12, 1298, 8, 0, 3, 1318), (usage.PromptTokens, usage.CandidatesTokens, usage.ThoughtsTokens, usage.CachedContentTokens, usage.ToolUsePromptTokens, usage.TotalTokens));
        Assert.Equal(12, usage.PromptByModality["TEXT"]);
        Assert.Equal(1290, usage.OutputImageTokens);
        Assert.Equal(8, usage.OutputTextTokens);
    }

    [Fact]
    public void An_sse_stream_yields_the_totals_of_the_last_event_carrying_them()
    {
        var seen = Scan(Sse);

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
        var array = "[" + Json + ",\r\n" + Json.Replace("1318", "2000", StringComparison.Ordinal) + "]";
        var seen = Scan(array);

        Assert.True(seen.Balanced);
        Assert.Equal(2, seen.Images);
        Assert.Equal(2000, seen.Usage!.TotalTokens);
    }

    [Fact]
    public void A_truncated_response_is_unbalanced_and_keeps_what_it_saw()
    {
        var cut = Sse[..(Sse.Length - 60)];
        var seen = Scan(cut);

        Assert.False(seen.Balanced);
        Assert.Equal(10, seen.Usage!.PromptTokens);
        Assert.Equal(0, seen.Usage.CandidatesTokens);
    }

    [Fact]
    public void A_response_without_usage_has_none()
    {
        var seen = Scan("""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"SAFETY"}]}""");

        Assert.Null(seen.Usage);
        Assert.Equal(["SAFETY"], seen.FinishReasons);
        Assert.True(seen.Balanced);
    }

    [Fact]
    public void Usage_nested_elsewhere_is_not_mistaken_for_the_response_usage()
    {
        var seen = Scan("""{"candidates":[{"content":{"parts":[{"functionCall":{"args":{"usageMetadata":{"totalTokenCount":999}}}}]}}],"usageMetadata":{"totalTokenCount":5}}""");

        Assert.Equal(5, seen.Usage!.TotalTokens);
    }

    [Theory]
    [InlineData(Json)]
    [InlineData(Sse)]
    public void Every_split_point_gives_the_same_result_as_the_whole(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var whole = Describe(Scan(body));
        for (var split = 0; split <= bytes.Length; split++)
        {
            var scanner = new UsageScanner();
            scanner.Feed(bytes.AsSpan(0, split));
            scanner.Feed(bytes.AsSpan(split));
            Assert.Equal(whole, Describe(scanner.Complete()));
        }
    }

    [Fact]
    public void Random_chunkings_of_random_responses_match_a_full_parse()
    {
        var tokens = Gen.Int[0, 5000];
        var response = Gen.Select(tokens, tokens, tokens, Gen.Int[0, 3], Gen.Int[0, 400], (prompt, candidates, thoughts, images, textLength) =>
        {
            var parts = string.Join(",", Enumerable.Range(0, images).Select(i => "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + new string('Q', 4 * (i + 1) * 50) + "\"}}")
                .Prepend($$"""{"text":"{{new string('t', textLength)}}\n\"q\""}"""));
            return $$$"""{"candidates":[{"content":{"parts":[{{{parts}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":{{{prompt}}},"candidatesTokenCount":{{{candidates}}},"thoughtsTokenCount":{{{thoughts}}},"totalTokenCount":{{{prompt + candidates + thoughts}}},"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":{{{candidates / 2}}}}]},"modelVersion":"v"}""";
        });

        Gen.Select(response, Gen.Int[1, 97]).Sample((body, chunk) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var scanner = new UsageScanner();
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                scanner.Feed(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
            }

            var seen = scanner.Complete();
            using var reference = JsonDocument.Parse(body);
            var usage = reference.RootElement.GetProperty("usageMetadata");
            Assert.Equal(usage.GetProperty("promptTokenCount").GetInt64(), seen.Usage!.PromptTokens);
            Assert.Equal(usage.GetProperty("candidatesTokenCount").GetInt64(), seen.Usage.CandidatesTokens);
            Assert.Equal(usage.GetProperty("thoughtsTokenCount").GetInt64(), seen.Usage.ThoughtsTokens);
            Assert.Equal(usage.GetProperty("totalTokenCount").GetInt64(), seen.Usage.TotalTokens);
            Assert.Equal(usage.GetProperty("candidatesTokensDetails")[0].GetProperty("tokenCount").GetInt64(), seen.Usage.OutputImageTokens);
            var parts = reference.RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts");
            Assert.Equal(parts.EnumerateArray().Count(p => p.TryGetProperty("inlineData", out _)), seen.Images);
            Assert.True(seen.Balanced);
        });
    }

    private static ResponseObservation Scan(string body)
    {
        var scanner = new UsageScanner();
        scanner.Feed(Encoding.UTF8.GetBytes(body));
        return scanner.Complete();
    }

    private static string Describe(ResponseObservation seen) => JsonSerializer.Serialize(new
    {
        seen.Usage,
        seen.ModelVersion,
        seen.ResponseId,
        seen.Images,
        seen.FinishReasons,
        seen.Balanced,
    });
}
