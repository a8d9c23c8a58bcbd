using Microsoft.AspNetCore.Http;

using Routescope.Gateway.Hygiene;

namespace Routescope.Gateway.Tests.Hygiene;

/// <summary>The header value rule, character by character: visible ASCII, space and tab pass, nothing else does.</summary>
public sealed class HeaderValueRuleTests
{
    [Fact]
    public void Visible_ASCII_space_and_tab_are_allowed()
    {
        var visible = new string([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)]);

        Assert.True(HeaderValueRule.IsAllowed(visible));
        Assert.True(HeaderValueRule.IsAllowed("genai-js/1.30.0\tgl-node/22"));
        Assert.True(HeaderValueRule.IsAllowed(""));
    }

    [Fact]
    public void Every_control_character_but_tab_is_refused()
    {
        foreach (var c in Enumerable.Range(0, 0x20).Where(c => c != '\t').Append(0x7F))
        {
            Assert.False(HeaderValueRule.IsAllowed("a" + (char)c + "b"), $"U+{c:X4} passed");
        }
    }

    [Theory]
    [InlineData("café")]
    [InlineData("\u0080")]
    [InlineData("\u00A0")]
    [InlineData("\u00FF")]
    [InlineData("\uFFFD")]
    [InlineData("日本語")]
    [InlineData("😀")]
    [InlineData("\u001B[31mred\u001B[0m")]
    public void Non_ASCII_and_escapes_are_refused(string value) => Assert.False(HeaderValueRule.IsAllowed(value));

    [Fact]
    public void The_first_refused_header_is_named_and_clean_headers_name_none()
    {
        var headers = new HeaderDictionary
        {
            ["User-Agent"] = "curl/8.5.0",
            ["Accept-Language"] = new(["en", "fr-CH, café"]),
            ["X-Foo"] = "\u0001",
        };

        Assert.Equal("Accept-Language", HeaderValueRule.FirstRefused(headers));
        Assert.Null(HeaderValueRule.FirstRefused(new HeaderDictionary { ["User-Agent"] = "curl/8.5.0", ["Accept"] = "*/*" }));
    }

    [Fact]
    public void The_message_names_the_header_but_never_its_value()
    {
        var message = HeaderValueRule.Message("Authorization");

        Assert.Equal("Header Authorization contains a non-ASCII or control character (RFC 9110 §5.5).", message);
    }

    [Theory]
    [InlineData("X-F\u0001oo")]
    [InlineData("X-Foo\u007F")]
    [InlineData("X-Fé")]
    [InlineData("X Foo")]
    public void A_header_name_that_is_no_token_is_refused(string name)
    {
        var headers = new HeaderDictionary { ["User-Agent"] = "ok", [name] = "value" };

        Assert.True(HeaderValueRule.HasRefusedName(headers));
    }

    [Fact]
    public void Token_header_names_pass()
    {
        var headers = new HeaderDictionary { ["x-goog-api-client"] = "genai-js/1.30.0", ["X_Odd.Name!#$%&'*+^`|~"] = "v" };

        Assert.False(HeaderValueRule.HasRefusedName(headers));
    }
}
