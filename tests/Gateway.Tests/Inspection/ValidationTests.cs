using System.Globalization;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// Image parameters are checked against the catalog of the root appsettings.json (the seed document's tables) before
/// any upstream call: refusals are Gemini 400s naming the field and never reach the upstream.
/// </summary>
public sealed class ValidationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Pro3 = "gemini-3-pro-image-preview";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    private static readonly string[] StandardRatios = ["1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    private static readonly string[] WideRatios = ["1:1", "1:4", "1:8", "2:3", "3:2", "3:4", "4:1", "4:3", "4:5", "5:4", "8:1", "9:16", "16:9", "21:9"];

    private string _key = null!;

    public async Task InitializeAsync() => _key = (await gateway.CreateKeyAsync("validation")).Key;

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, bool> Ratios()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var ratio in StandardRatios.Union(WideRatios))
        {
            data.Add(Flash25, ratio, StandardRatios.Contains(ratio));
            data.Add(Pro3, ratio, StandardRatios.Contains(ratio));
            data.Add(Flash31, ratio, WideRatios.Contains(ratio));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ratios))]
    public async Task Each_model_accepts_exactly_its_aspect_ratios(string model, string ratio, bool accepted)
    {
        foreach (var snake in new[] { false, true })
        {
            var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, model, Generate(snake, aspectRatio: ratio, modalities: ["IMAGE"]));

            Assert.Equal(accepted ? 200 : 400, status);
            Assert.Equal(accepted, forwarded);
            if (!accepted)
            {
                var field = snake ? "generation_config.image_config.aspect_ratio" : "generationConfig.imageConfig.aspectRatio";
                var violation = Assert.Single(GatewayCalls.Violations(body));
                Assert.Equal(field, violation.Field);
                Assert.Contains($"\"{ratio}\" is not supported by {model} (supported: ", violation.Description, StringComparison.Ordinal);
                Assert.Contains($"{field}: \"{ratio}\" is not supported by {model}", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(Pro3, "1K", true)]
    [InlineData(Pro3, "2K", true)]
    [InlineData(Pro3, "4K", true)]
    [InlineData(Pro3, "1k", false)]
    [InlineData(Pro3, "8K", false)]
    [InlineData(Pro3, "512", false)]
    [InlineData(Flash25, "1K", false)]
    [InlineData(Flash25, "2K", false)]
    [InlineData(Flash31, "1K", false)]
    [InlineData(Flash31, "4K", false)]
    public async Task ImageSize_is_accepted_only_where_the_model_lists_it(string model, string size, bool accepted)
    {
        foreach (var snake in new[] { false, true })
        {
            var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, model, Generate(snake, imageSize: size));

            Assert.Equal(accepted ? 200 : 400, status);
            Assert.Equal(accepted, forwarded);
            if (!accepted)
            {
                var violation = Assert.Single(GatewayCalls.Violations(body));
                Assert.Equal(snake ? "generation_config.image_config.image_size" : "generationConfig.imageConfig.imageSize", violation.Field);
                Assert.Contains(model, violation.Description, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_lower_case_size_gets_a_hint()
    {
        var (_, body, _) = await GatewayCalls.GenerateAsync(gateway, _key, Pro3, Generate(imageSize: "2k"));

        Assert.Contains("upper-case K: \"2K\"", Assert.Single(GatewayCalls.Violations(body)).Description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> Mimes()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var model in new[] { Flash25, Pro3, Flash31 })
        {
            data.Add(model, "image/png", true);
            data.Add(model, "image/jpeg", true);
            data.Add(model, "image/webp", true);
            data.Add(model, "image/heic", true);
            data.Add(model, "image/heif", true);
            data.Add(model, "image/gif", false);
            data.Add(model, "application/pdf", false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Inline_images_must_have_an_accepted_mime_type(string model, string mime, bool accepted)
    {
        var data = mime switch
        {
            "image/jpeg" => Jpeg,
            "image/webp" => Webp,
            "image/heic" => Heic,
            "image/heif" => Heif,
            _ => Png,
        };
        foreach (var snake in new[] { false, true })
        {
            var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, model, Generate(snake, images: new Image(mime, WithSignature(data, 64))));

            Assert.Equal(accepted ? 200 : 400, status);
            Assert.Equal(accepted, forwarded);
            if (!accepted)
            {
                var violation = Assert.Single(GatewayCalls.Violations(body));
                Assert.Equal(snake ? "contents[0].parts[1].inline_data.mime_type" : "contents[0].parts[1].inlineData.mimeType", violation.Field);
            }
        }
    }

    [Theory]
    [InlineData("image/png", "jpeg")]
    [InlineData("image/jpeg", "png")]
    [InlineData("image/webp", "png")]
    [InlineData("image/heic", "png")]
    [InlineData("image/png", "garbage")]
    public async Task A_declared_mime_type_must_match_the_image_bytes(string declared, string actual)
    {
        var data = actual switch
        {
            "jpeg" => Jpeg,
            "png" => Png,
            _ => "not an image at all"u8.ToArray(),
        };
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(images: new Image(declared, WithSignature(data, 48))));

        Assert.Equal(400, status);
        Assert.False(forwarded);
        var violation = Assert.Single(GatewayCalls.Violations(body));
        Assert.Equal("contents[0].parts[1].inlineData.data", violation.Field);
        Assert.Contains($"not {declared}", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heic_and_heif_labels_are_interchangeable()
    {
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(images: new Image("image/heic", WithSignature(Heif, 64))));

        Assert.Equal(200, status);
        Assert.True(forwarded);
    }

    [Fact]
    public async Task Image_models_need_a_text_prompt()
    {
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(prompt: null, images: new Image("image/png", Png)));

        Assert.Equal(400, status);
        Assert.False(forwarded);
        Assert.Contains("text", Assert.Single(GatewayCalls.Violations(body)).Field, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "IMAGE" }, true)]
    [InlineData(new[] { "TEXT", "IMAGE" }, true)]
    [InlineData(new[] { "TEXT" }, false)]
    [InlineData(new[] { "IMAGE", "AUDIO" }, false)]
    [InlineData(new[] { "image" }, false)]
    public async Task Response_modalities_must_be_known_and_include_image(string[] modalities, bool accepted)
    {
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash31, Generate(modalities: modalities));

        Assert.Equal(accepted ? 200 : 400, status);
        Assert.Equal(accepted, forwarded);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public async Task Candidate_count_is_bounded_by_the_model(int count, bool accepted)
    {
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Pro3, Generate(snake: true, candidateCount: count));

        Assert.Equal(accepted ? 200 : 400, status);
        Assert.Equal(accepted, forwarded);
        if (!accepted)
        {
            Assert.Equal("generation_config.candidate_count", Assert.Single(GatewayCalls.Violations(body)).Field);
        }
    }

    [Fact]
    public async Task Too_many_inline_images_are_refused()
    {
        var images = Enumerable.Range(0, 4).Select(_ => new Image("image/png", Png)).ToArray();
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(images: images));

        Assert.Equal(400, status);
        Assert.False(forwarded);
        Assert.Contains("at most 3", Assert.Single(GatewayCalls.Violations(body)).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_violation_is_reported_at_once()
    {
        var body = Generate(aspectRatio: "1:8", imageSize: "4K", modalities: ["TEXT"], candidateCount: 3, images: new Image("image/gif", Png));
        var (status, response, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, body);

        Assert.Equal(400, status);
        Assert.False(forwarded);
        var fields = GatewayCalls.Violations(response).Select(v => v.Field).ToArray();
        Assert.Contains("generationConfig.imageConfig.aspectRatio", fields);
        Assert.Contains("generationConfig.imageConfig.imageSize", fields);
        Assert.Contains("generationConfig.responseModalities", fields);
        Assert.Contains("generationConfig.candidateCount", fields);
        Assert.Contains("contents[0].parts[1].inlineData.mimeType", fields);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "", "$" },
        { "{", "$" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]", "$" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}}", "$" },
        { "[]", "$" },
        { "\"just a string\"", "$" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],}", "$" },
        { "{/*c*/\"contents\":[]}", "$" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]} {}", "$" },
        { "{}", "contents" },
        { "{\"contents\":[]}", "contents" },
        { "{\"contents\":{}}", "contents" },
        { "{\"contents\":[1]}", "contents[0]" },
        { "{\"contents\":[{}]}", "contents[0].parts" },
        { "{\"contents\":[{\"parts\":[]}]}", "contents[0].parts" },
        { "{\"contents\":[{\"parts\":{}}]}", "contents[0].parts" },
        { "{\"contents\":[{\"parts\":[\"text\"]}]}", "contents[0].parts[0]" },
        { "{\"contents\":[{\"parts\":[{\"text\":5}]}]}", "contents[0].parts[0].text" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\",\"inlineData\":\"x\"}]}]}", "contents[0].parts[0].inlineData" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"inline_data\":{\"mime_type\":7,\"data\":\"iVBORw0KGgo=\"}}]}]}", "contents[0].parts[1].inline_data.mime_type" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":[]}}]}]}", "contents[0].parts[1].inlineData.data" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBO!!\"}}]}]}", "contents[0].parts[1].inlineData.data" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"inlineData\":{\"data\":\"iVBORw0KGgo=\"}}]}]}", "contents[0].parts[1].inlineData.mimeType" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"},{\"inline_data\":{\"mime_type\":\"image/png\"}}]}]}", "contents[0].parts[1].inline_data.data" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":[]}", "generationConfig" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"responseModalities\":\"IMAGE\"}}", "generationConfig.responseModalities" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"responseModalities\":[1]}}", "generationConfig.responseModalities[0]" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"candidateCount\":\"1\"}}", "generationConfig.candidateCount" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"candidateCount\":1.5}}", "generationConfig.candidateCount" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"maxOutputTokens\":1.5}}", "generationConfig.maxOutputTokens" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"maxOutputTokens\":0}}", "generationConfig.maxOutputTokens" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generation_config\":{\"max_output_tokens\":3000000000}}", "generation_config.max_output_tokens" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"imageConfig\":\"16:9\"}}", "generationConfig.imageConfig" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"imageConfig\":{\"aspectRatio\":169}}}", "generationConfig.imageConfig.aspectRatio" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generation_config\":{\"image_config\":{\"image_size\":true}}}", "generation_config.image_config.image_size" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{},\"generation_config\":{}}", "generation_config" },
        { "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"contents\":[{\"parts\":[{\"text\":\"b\"}]}]}", "contents" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_bodies_and_wrong_types_are_400s_naming_the_field(string body, string field)
    {
        var (status, response, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, body);

        Assert.Equal(400, status);
        Assert.False(forwarded);
        GeminiErrorAssert.IsError(response, 400, "INVALID_ARGUMENT");
        Assert.Contains(GatewayCalls.Violations(response), violation => violation.Field == field);
    }

    [Fact]
    public async Task Deep_nesting_is_refused()
    {
        var deep = "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"tools\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";
        var (status, response, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, deep);

        Assert.Equal(400, status);
        Assert.False(forwarded);
        Assert.Contains("depth", GeminiErrorAssert.IsError(response, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_body_is_refused()
    {
        var body = Generate(images: new Image("image/png", WithSignature(Png, 3000)));
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, body[..(body.Length / 2)]);

        Assert.Equal(400, status);
        Assert.False(forwarded);
    }

    [Fact]
    public async Task The_seeds_text_example_passes_and_image_options_are_refused_for_its_text_model()
    {
        const string seedTextExample = """{"contents":[{"parts":[{"text":"Writing a four-word Chinese short poem on the theme of urban night rain."}]}],"generationConfig":{"temperature":0.7,"maxOutputTokens":100000}}""";
        var (ok, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, "gpt-4o-mini", seedTextExample);
        var (oddRatio, _, oddForwarded) = await GatewayCalls.GenerateAsync(gateway, _key, "gpt-4o-mini", Generate(aspectRatio: "7:3", imageSize: "9K"));
        var (empty, _, emptyForwarded) = await GatewayCalls.GenerateAsync(gateway, _key, "gpt-4o-mini", "{\"contents\":[]}");

        Assert.Equal(200, ok);
        Assert.True(forwarded);
        Assert.Equal(400, oddRatio);
        Assert.False(oddForwarded);
        Assert.Equal(400, empty);
        Assert.False(emptyForwarded);
    }

    [Fact]
    public async Task A_valid_request_in_either_spelling_is_forwarded_byte_for_byte()
    {
        foreach (var snake in new[] { false, true })
        {
            var body = Generate(snake, aspectRatio: "16:9", imageSize: "2K", modalities: ["TEXT", "IMAGE"], candidateCount: 1,
                images: [new Image("image/png", WithSignature(Png, 5000)), new Image("image/jpeg", WithSignature(Jpeg, 7000))]);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Pro3}:generateContent")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            GeminiRequests.WithIdentity(request, _key);
            using var response = await gateway.Client.SendAsync(request);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
            Assert.Equal(Bytes.Sha256(Encoding.UTF8.GetBytes(body)), received.BodySha256);
        }
    }

    [Fact]
    public async Task A_chunked_request_reaches_the_upstream_with_its_length()
    {
        var body = Encoding.UTF8.GetBytes(Generate(images: new Image("image/png", WithSignature(Png, 200_000))));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Flash25}:generateContent")
        {
            Content = new StreamContent(new MemoryStream(body)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        GeminiRequests.WithIdentity(request, _key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal(Bytes.Sha256(body), received.BodySha256);
        Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), received.Header("content-length"));
        Assert.Null(received.Header("transfer-encoding"));
    }

    [Fact]
    public async Task CountTokens_checks_the_request_shape_only()
    {
        var (ok, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(aspectRatio: "1:8"), "countTokens");
        var (bad, _, badForwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, "{\"contents\":5}", "countTokens");

        Assert.Equal(200, ok);
        Assert.True(forwarded);
        Assert.Equal(400, bad);
        Assert.False(badForwarded);
    }

    [Fact]
    public async Task Streaming_requests_are_validated_too()
    {
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(aspectRatio: "1:8"), "streamGenerateContent");

        Assert.Equal(400, status);
        Assert.False(forwarded);
    }

    [Fact]
    public async Task A_declared_oversize_body_is_413_before_it_is_read()
    {
        var id = GeminiRequests.NewRequestId();
        var headers = new Dictionary<string, string>
        {
            ["x-goog-api-key"] = _key,
            ["x-request-id"] = id,
            ["Content-Type"] = "application/json",
        };

        // Announce 40 MB and send 10 bytes: the gateway must answer from the header alone.
        var (status, body) = await RawHttp.SendAsync(gateway.Factory.Address, "POST", $"/v1beta/models/{Flash25}:generateContent",
            headers, "{\"contents\"", contentLengthOverride: 40 * 1024 * 1024);

        Assert.Equal(413, status);
        GeminiErrorAssert.IsError(body, 413, "INVALID_ARGUMENT");
        Assert.Empty(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task An_oversize_chunked_body_is_413()
    {
        var oversize = new byte[33 * 1024 * 1024];
        Array.Fill(oversize, (byte)' ');
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Flash25}:generateContent") { Content = new StreamContent(new MemoryStream(oversize)) };
        request.Headers.TransferEncodingChunked = true;
        GeminiRequests.WithIdentity(request, _key);
        HttpResponseMessage? response = null;
        try
        {
            response = await gateway.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The gateway may answer and close before the client finished sending; then the status is lost to the client.
        }

        if (response is not null)
        {
            Assert.Equal(413, (int)response.StatusCode);
            response.Dispose();
        }

        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task Large_edits_within_the_limits_pass_from_a_spilled_buffer()
    {
        var image = WithSignature(Png, 14 * 1024 * 1024);
        var body = Generate(snake: true, aspectRatio: "21:9", images: new Image("image/png", image));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Flash25}:generateContent") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(FakeHeaders.ImageBytes, "1000");
        GeminiRequests.WithIdentity(request, _key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Bytes.Sha256(Encoding.UTF8.GetBytes(body)), Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request))).BodySha256);
    }

    [Fact]
    public async Task An_image_over_the_per_image_limit_is_refused()
    {
        var image = WithSignature(Png, 21 * 1024 * 1024);
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, _key, Flash25, Generate(images: new Image("image/png", image)));

        Assert.Equal(400, status);
        Assert.False(forwarded);
        Assert.Contains(GatewayCalls.Violations(body), v => v.Description.Contains("per image", StringComparison.Ordinal));
    }
}
