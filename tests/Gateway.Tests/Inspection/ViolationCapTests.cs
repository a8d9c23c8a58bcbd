using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// Issue 18, defect 3: a body of endless broken parts once got an answer fifteen times its size (27 MB for 1.9 MB).
/// The error lists the first 20 violations and says how many more there were; its size does not grow with the body.
/// </summary>
public sealed partial class ViolationCapTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData(100_000)] // 1.9 MB
    [InlineData(400_000)] // 7.6 MB
    public async Task A_body_of_endless_empty_inline_parts_gets_a_400_of_a_few_KB(int parts)
    {
        var key = (await gateway.CreateKeyAsync("caps")).Key;
        var body = EmptyInlineParts(parts);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        GeminiRequests.WithIdentity(request, key);
        using var response = await gateway.Client.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(answer.Length < 8 * 1024, $"a {body.Length}-byte body got a {answer.Length}-byte error");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        var text = Encoding.UTF8.GetString(answer);
        var message = GeminiErrorAssert.IsError(text, 400, "INVALID_ARGUMENT");
        Assert.Equal(20, GatewayCalls.Violations(text).Count);
        Assert.Equal("contents[0].parts[0].inline_data.mime_type", GatewayCalls.Violations(text)[0].Field);
        // Each part lacks its MIME type and its data: all of them are counted, the first 20 listed.
        var more = MoreViolations().Match(message);
        Assert.True(more.Success, message);
        Assert.True(long.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= (2L * parts) - 20, message);
    }

    /// <summary>The body of the report: <c>{"contents":[{"parts":[{"inline_data":{}},…]}]}</c>.</summary>
    internal static byte[] EmptyInlineParts(int parts)
    {
        var body = new StringBuilder("""{"contents":[{"parts":[""", (parts * 19) + 32);
        for (var i = 0; i < parts; i++)
        {
            body.Append(i == 0 ? """{"inline_data":{}}""" : """,{"inline_data":{}}""");
        }

        return Encoding.UTF8.GetBytes(body.Append("]}]}").ToString());
    }

    [GeneratedRegex(@"; and (\d+) more violations$")]
    private static partial Regex MoreViolations();
}
