using System.Buffers;
using System.Text.Json;

namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// The journal's format: one record per line, as <see cref="UsageJsonContext"/> writes it (camelCase, money as JSON numbers), UTF-8, each line ended by
/// '\n'. The serializer escapes control characters inside strings, so a record never spans two lines.
/// </summary>
internal static class JournalLines
{
    public static ReadOnlyMemory<byte> Encode(IReadOnlyList<UsageRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Count * 1024);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            JsonSerializer.Serialize(writer, record, UsageJsonContext.Default.UsageRecord);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>A line's record, or null when it is no whole record (torn by a crash mid-write).</summary>
    public static UsageRecord? Decode(ReadOnlySpan<byte> line)
    {
        try
        {
            var record = JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord);
            return record is null || string.IsNullOrEmpty(record.RecordId) ? null : UsageRecordCosts.Complete(record);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
