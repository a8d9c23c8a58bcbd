using System.IO.Pipelines;
using System.Text.Json;

namespace Routescope.Gateway.Exports;

/// <summary>
/// <c>{"from", "to", "groupBy", "watermark", "backlog", …, "rows": [...]}</c>, streamed: each row is written and the
/// pipe flushed now and then, so a month of records exports in constant memory.
/// </summary>
internal sealed class JsonExport : IUsageExportFormat
{
    public UsageFormat Format => UsageFormat.Json;

    public string ContentType => "application/json; charset=utf-8";

    public string Extension => "json";

    public async Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken)
    {
        // Through a pipe: the writer flushes synchronously, which must only ever reach memory.
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var json = new Utf8JsonWriter(pipe))
        {
            json.WriteStartObject();
            JsonRows.WriteMetadata(json, request.Metadata);
            json.WriteStartArray("rows");
            if (request.Query.Grouping == UsageGrouping.None)
            {
                await foreach (var record in request.Records.WithCancellation(cancellationToken))
                {
                    JsonRows.Write(json, RecordColumns.All, record);
                    await FlushSometimesAsync(json, pipe, cancellationToken);
                }
            }
            else
            {
                await foreach (var aggregate in request.Aggregates(cancellationToken))
                {
                    JsonRows.Write(json, AggregateColumns.All, aggregate);
                    await FlushSometimesAsync(json, pipe, cancellationToken);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await pipe.CompleteAsync();
    }

    private static async Task FlushSometimesAsync(Utf8JsonWriter json, PipeWriter pipe, CancellationToken cancellationToken)
    {
        if (json.BytesPending > 32 * 1024)
        {
            json.Flush();
            await pipe.FlushAsync(cancellationToken);
        }
    }
}
