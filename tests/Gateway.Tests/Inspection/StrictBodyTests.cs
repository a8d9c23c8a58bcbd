using System.Net.Http.Headers;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// R6: a body the upstream's parser could read differently from the gateway's (BOM, comments, trailing commas,
/// invalid UTF-8 anywhere, a repeated or doubly spelled inspected field, deep nesting, wrong types or out-of-range
/// numbers, image bytes that contradict their MIME type) is a Gemini 400 naming the field, on generateContent,
/// streamGenerateContent and countTokens alike, for a model in the catalog and one outside it; nothing reaches the
/// upstream, and a valid request for the same model still succeeds afterwards.
/// </summary>
public abstract class StrictBodyTests(GatewayFixture gateway, string model)
{
    private const string Text = """{"contents":[{"parts":[{"text":"A lighthouse at dusk"}]}]}""";

    private static readonly string[] Operations = ["generateContent", "streamGenerateContent", "countTokens"];

    private static readonly Dictionary<string, (byte[] Body, string Field)> Cases = new()
    {
        ["a UTF-8 byte order mark"] = ([0xEF, 0xBB, 0xBF, .. Utf8(Text)], "$"),
        ["a line comment"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}] // note""" + "\n}"), "$"),
        ["a block comment"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}]/* note */}"""), "$"),
        ["a trailing comma in an object"] = (Utf8("""{"contents":[{"parts":[{"text":"a"},]}]}"""), "$"),
        ["a trailing comma in an array"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]},]}"""), "$"),
        ["FF FE inside a text"] = (WithText([0x61, 0xFF, 0xFE, 0x62]), "contents[0].parts[0].text"),
        ["an overlong C0 AF inside a text"] = (WithText([0x2E, 0x2E, 0xC0, 0xAF]), "contents[0].parts[0].text"),
        ["an encoded surrogate ED A0 80 inside a text"] = (WithText([0xED, 0xA0, 0x80]), "contents[0].parts[0].text"),
        ["a code point above U+10FFFF inside a text"] = (WithText([0xF4, 0x90, 0x80, 0x80]), "contents[0].parts[0].text"),
        ["invalid UTF-8 in a field nobody inspects"] = (Join("{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"", [0xFF, 0xFE], "\"}]}}"), "systemInstruction"),
        ["invalid UTF-8 in a field name"] = (Join("{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"x", [0xC0, 0xAF], "\":1}"), "$"),
        ["invalid UTF-8 in another kind of part"] = (Join("{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"fileData\":{\"fileUri\":\"gs://b/", [0xED, 0xA0, 0x80], "\"}}]}]}"), "contents[0].parts[1]"),
        ["contents twice"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"contents":[{"parts":[{"text":"b"}]}]}"""), "contents"),
        ["inline_data and inlineData in one part"] = (Utf8("""{"contents":[{"parts":[{"text":"a"},{"inline_data":{"mime_type":"image/png","data":"PNG"},"inlineData":{"mimeType":"image/png","data":"PNG"}}]}]}""".Replace("PNG", PngData, StringComparison.Ordinal)), "contents[0].parts[1].inlineData"),
        ["mimeType and mime_type in one inline data"] = (Utf8("""{"contents":[{"parts":[{"text":"a"},{"inlineData":{"mimeType":"image/png","mime_type":"image/png","data":"PNG"}}]}]}""".Replace("PNG", PngData, StringComparison.Ordinal)), "contents[0].parts[1].inlineData.mime_type"),
        ["text twice in one part"] = (Utf8("""{"contents":[{"parts":[{"text":"a","text":"b"}]}]}"""), "contents[0].parts[0].text"),
        ["generationConfig and generation_config"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{},"generation_config":{"candidate_count":1}}"""), "generation_config"),
        ["imageConfig and image_config"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"1:1"},"image_config":{"aspect_ratio":"16:9"}}}"""), "generationConfig.image_config"),
        ["an escaped spelling of an inspected field twice"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"candidateCount":1,"candidate\u0043ount":2}}"""), "generationConfig.candidateCount"),
        ["nesting deeper than 64"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"tools":""" + new string('[', 64) + new string(']', 64) + "}"), "$"),
        ["candidateCount 1e400"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"candidateCount":1e400}}"""), "generationConfig.candidateCount"),
        ["candidateCount as a string"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"candidateCount":"2"}}"""), "generationConfig.candidateCount"),
        ["candidateCount beyond int64"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"candidateCount":99999999999999999999}}"""), "generationConfig.candidateCount"),
        ["maxOutputTokens 1e400"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generation_config":{"max_output_tokens":1e400}}"""), "generation_config.max_output_tokens"),
        ["maxOutputTokens as a string of a thousand digits"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"maxOutputTokens":"1""" + new string('0', 1000) + "\"}}"), "generationConfig.maxOutputTokens"),
        ["responseModalities as an object"] = (Utf8("""{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"responseModalities":{"IMAGE":true}}}"""), "generationConfig.responseModalities"),
        ["a JPEG declared image/png"] = (Utf8(Generate(images: new Image("image/png", WithSignature(Jpeg, 64)))), "contents[0].parts[1].inlineData.data"),
        ["a JPEG declared IMAGE/PNG with a parameter"] = (Utf8(Generate(snake: true, images: new Image("IMAGE/PNG; q=1", WithSignature(Jpeg, 64)))), "contents[0].parts[1].inline_data.data"),
        ["a PNG declared image/webp"] = (Utf8(Generate(images: new Image("image/webp", WithSignature(Png, 64)))), "contents[0].parts[1].inlineData.data"),
    };

    private static string PngData => Convert.ToBase64String(WithSignature(Png, 64));

    public static TheoryData<string> Refused() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Refused), MemberType = typeof(StrictBodyTests))]
    public async Task Is_refused_with_a_400_naming_the_field_before_the_upstream(string kind)
    {
        var key = (await gateway.CreateKeyAsync("strict")).Key;
        var (body, field) = Cases[kind];
        foreach (var operation in Operations)
        {
            var (status, response, forwarded) = await PostAsync(gateway, key, model, body, operation);

            Assert.True(status == 400, $"{operation}: {status} {response}");
            Assert.False(forwarded, operation);
            GeminiErrorAssert.IsError(response, 400, "INVALID_ARGUMENT");
            var fields = GatewayCalls.Violations(response).Select(violation => violation.Field).ToArray();
            Assert.True(fields.Contains(field), $"{operation}: expected a violation at {field}, got {string.Join(", ", fields)}: {response}");
        }

        // Nothing a client sends counts against the model's breaker (R7).
        var (ok, _, okForwarded) = await PostAsync(gateway, key, model, Utf8(Generate(images: new Image("image/png", WithSignature(Png, 64)))), "generateContent");
        Assert.Equal(200, ok);
        Assert.True(okForwarded);
    }

    [Fact]
    public async Task Valid_multibyte_UTF8_in_strings_and_field_names_passes_byte_for_byte()
    {
        var key = (await gateway.CreateKeyAsync("strict")).Key;
        var body = Utf8("""{"contents":[{"parts":[{"text":"café, 東京, 😀"}]}],"systemInstruction":{"parts":[{"text":"réponds en français"}]},"labels":{"clé":"値"}}""");
        foreach (var operation in Operations)
        {
            var (status, response, forwarded) = await PostAsync(gateway, key, model, body, operation);

            Assert.True(status == 200, $"{operation}: {status} {response}");
            Assert.True(forwarded, operation);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Join(string before, byte[] raw, string after) => [.. Utf8(before), .. raw, .. Utf8(after)];

    private static byte[] WithText(byte[] raw) => Join("{\"contents\":[{\"parts\":[{\"text\":\"x", raw, "x\"}]}]}");

    /// <summary>POSTs raw bytes: an encoding content would re-encode (and so repair) the invalid UTF-8 under test.</summary>
    private static async Task<(int Status, string Body, bool Forwarded)> PostAsync(GatewayFixture gateway, string key, string model, byte[] body, string operation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:{operation}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        GeminiRequests.WithIdentity(request, key);
        using var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, gateway.UpstreamReceived(GeminiRequests.RequestId(request)).Count > 0);
    }
}

/// <summary>The strictness for a model of the catalog, whose capability rules apply too.</summary>
public sealed class CatalogModelStrictBodyTests(GatewayFixture gateway) : StrictBodyTests(gateway, GeminiRequests.ImageModel), IClassFixture<GatewayFixture>;

/// <summary>The same strictness for a model outside the catalog, served unpriced: only the generic checks apply to it.</summary>
public sealed class UncataloguedModelStrictBodyTests(RecordUnpricedFixture gateway) : StrictBodyTests(gateway, "gemini-2.5-flash"), IClassFixture<RecordUnpricedFixture>;
