using System.Text;

using CsCheck;

using Routescope.Gateway.Inspection.Reading;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>UTF-8 validation across segment boundaries agrees with validating the bytes in one piece.</summary>
public sealed class Utf8TextTests
{
    [Fact]
    public void Any_bytes_in_any_segments_get_the_verdict_of_one_span()
    {
        // Valid text of one- to four-byte characters, sometimes with a byte overwritten by anything.
        string[] pieces = ["a", "Z", "0", "é", "ß", "東", "😀", "\U0010FFFF"];
        var text = Gen.Int[0, pieces.Length - 1].Array[0, 30].Select(picks => Encoding.UTF8.GetBytes(string.Concat(picks.Select(i => pieces[i]))));
        var mutated = text.Select(Gen.Int[0, 100], Gen.Byte, (bytes, at, b) =>
        {
            if (bytes.Length > 0 && at < bytes.Length)
            {
                bytes[at] = b;
            }

            return bytes;
        });

        mutated.Select(Gen.Int[1, 6]).Sample((bytes, segment) =>
        {
            var expected = System.Text.Unicode.Utf8.IsValid(bytes);
            Assert.Equal(expected, Utf8Text.IsValid(GenerateRequestReaderTests.Segmented(bytes, segment)));
        }, iter: 5000);
    }
}
