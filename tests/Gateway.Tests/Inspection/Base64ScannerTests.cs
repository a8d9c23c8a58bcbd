using System.Text;

using CsCheck;

using Routescope.Gateway.Inspection.Reading;

namespace Routescope.Gateway.Tests.Inspection;

public sealed class Base64ScannerTests
{
    [Theory]
    [InlineData("iVBORw0KGgo=", true, 8)]
    [InlineData("iVBORw0KGgo", true, 8)]
    [InlineData("iVBORw0KGgoAAA==", true, 10)]
    [InlineData("-_-_", true, 3)]
    [InlineData("", true, 0)]
    [InlineData("A", false, 0)]
    [InlineData("AAA=A", false, 0)]
    [InlineData("AA===", false, 0)]
    [InlineData("AA=", false, 0)]
    [InlineData("AA AA", false, 0)]
    [InlineData("AA\nA", false, 0)]
    [InlineData("ä", false, 0)]
    public void Validity_and_decoded_length_follow_proto3_base64(string text, bool valid, long decoded)
    {
        var scanner = default(Base64Scanner);
        scanner.Append(Encoding.UTF8.GetBytes(text), escaped: false);

        var result = scanner.Complete();

        Assert.Equal(valid, result.Valid);
        Assert.Equal(decoded, result.DecodedLength);
    }

    [Theory]
    [InlineData("iVBORw0KGgo\\/AA==", true)]
    [InlineData("iVBORw0KGgo\\u002FAA==", true)]
    [InlineData("iVBORw0KGgo\\u002fAA==", true)]
    [InlineData("iVBORw0KGgo\\nAA==", false)]
    [InlineData("iVBORw0KGgo\\u00e9AA==", false)]
    [InlineData("iVBORw0KGgo\\u00", false)]
    public void Json_escapes_inside_base64_are_understood(string raw, bool valid)
    {
        var scanner = default(Base64Scanner);
        scanner.Append(Encoding.UTF8.GetBytes(raw), escaped: true);

        Assert.Equal(valid, scanner.Complete().Valid);
    }

    [Fact]
    public void The_head_is_the_first_decoded_bytes()
    {
        var bytes = Enumerable.Range(1, 40).Select(i => (byte)i).ToArray();
        var scanner = default(Base64Scanner);
        scanner.Append(Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes)), escaped: false);

        Assert.Equal(bytes[..12], scanner.Complete().Head);
    }

    [Fact]
    public void Any_split_into_segments_gives_the_same_verdict_as_the_whole()
    {
        Gen.Byte.Array[0, 64].Select(Gen.Int[0, 3], Gen.Int[1, 7]).Sample((data, mutation, chunk) =>
        {
            var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(data).TrimEnd(mutation == 1 ? '=' : '\0'));
            if (mutation == 2 && text.Length > 0)
            {
                text[text.Length / 2] = (byte)'!';
            }

            var whole = default(Base64Scanner);
            whole.Append(text, escaped: false);
            var split = default(Base64Scanner);
            for (var offset = 0; offset < text.Length; offset += chunk)
            {
                split.Append(text.AsSpan(offset, Math.Min(chunk, text.Length - offset)), escaped: false);
            }

            var (wholeLength, wholeDecoded, wholeValid, wholeHead) = whole.Complete();
            var (splitLength, splitDecoded, splitValid, splitHead) = split.Complete();
            Assert.Equal(wholeValid, splitValid);
            Assert.Equal(wholeLength, splitLength);
            Assert.Equal(wholeDecoded, splitDecoded);
            Assert.Equal(wholeHead, splitHead);
            if (mutation != 2)
            {
                Assert.True(wholeValid);
                Assert.Equal(data.Length, wholeDecoded);
                Assert.Equal(data.AsSpan(0, Math.Min(12, data.Length - (data.Length % 3 == 0 ? 0 : data.Length % 3))).ToArray(), wholeHead.AsSpan(0, Math.Min(wholeHead.Length, 12)).ToArray());
            }
        });
    }
}
