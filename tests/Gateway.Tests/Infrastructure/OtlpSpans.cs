using System.Globalization;
using System.Text;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>A span as exported over OTLP, reduced to what tests look at.</summary>
public sealed record ExportedSpan(string ServiceName, string TraceId, SpanKind Kind, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}

public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
}

/// <summary>
/// Reads the spans out of an OTLP <c>ExportTraceServiceRequest</c> (protobuf) without a protobuf library: the test
/// process hosts several servers that the gateway's listeners all see, so tests must tell spans apart by trace, kind and
/// service rather than search the bytes.
/// </summary>
public static class OtlpSpans
{
    public static IReadOnlyList<ExportedSpan> Read(byte[] export)
    {
        var spans = new List<ExportedSpan>();
        foreach (var resourceSpans in Fields(export).Where(f => f.Number == 1))
        {
            var service = Fields(resourceSpans.Bytes).Where(f => f.Number == 1)
                .SelectMany(resource => Attributes(resource.Bytes, 1))
                .FirstOrDefault(a => a.Key == "service.name").Value ?? string.Empty;
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var fields = Fields(span.Bytes).ToArray();
                    spans.Add(new ExportedSpan(
                        service,
                        Convert.ToHexStringLower(fields.First(f => f.Number == 1).Bytes.Span),
                        (SpanKind)(int)(fields.FirstOrDefault(f => f.Number == 6)?.Value ?? 0),
                        Encoding.UTF8.GetString(fields.First(f => f.Number == 5).Bytes.Span),
                        // A key can repeat (YARP adds its proxy.* tags again on a retried attempt): the last one wins.
                        Attributes(span.Bytes, 9).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Last().Value)));
                }
            }
        }

        return spans;
    }

    /// <summary>KeyValue fields (<c>key</c> 1, <c>value</c> 2: AnyValue with string 1, bool 2, int 3) as text.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(ReadOnlyMemory<byte> message, int fieldNumber)
    {
        foreach (var keyValue in Fields(message).Where(f => f.Number == fieldNumber))
        {
            var parts = Fields(keyValue.Bytes).ToArray();
            var key = Encoding.UTF8.GetString(parts.First(p => p.Number == 1).Bytes.Span);
            var value = parts.FirstOrDefault(p => p.Number == 2) is { } any ? Fields(any.Bytes).FirstOrDefault() : null;
            var text = value switch
            {
                { Number: 1 } => Encoding.UTF8.GetString(value.Bytes.Span),
                { Number: 2 } => value.Value != 0 ? "true" : "false",
                { Number: 3 } => ((long)value.Value).ToString(CultureInfo.InvariantCulture),
                _ => string.Empty,
            };
            yield return new(key, text);
        }
    }

    private sealed record Field(int Number, ulong Value, ReadOnlyMemory<byte> Bytes);

    private static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message.Span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return new Field(number, Varint(message.Span, ref position), ReadOnlyMemory<byte>.Empty);
                    break;
                case 1:
                    yield return new Field(number, BitConverter.ToUInt64(message.Span.Slice(position, 8)), ReadOnlyMemory<byte>.Empty);
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    yield return new Field(number, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, BitConverter.ToUInt32(message.Span.Slice(position, 4)), ReadOnlyMemory<byte>.Empty);
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
