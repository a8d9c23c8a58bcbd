using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

using CsvHelper;
using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Writes exports straight from the store to a stream: rows are read, converted and written one at a time, so a month
/// of records exports in constant memory. The admin API and the CLI share it.
/// </summary>
internal sealed class UsageExporter(IUsageStore store)
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture)
    {
        // Key names are user input: a leading = + - @ must not become a spreadsheet formula.
        InjectionOptions = InjectionOptions.Escape,
        NewLine = "\r\n",
    };

    public static string ContentType(UsageFormat format) => format == UsageFormat.Json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";

    public static string FileName(UsageQuery query) => string.Create(CultureInfo.InvariantCulture,
        $"usage-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}.{(query.Format == UsageFormat.Json ? "json" : "csv")}");

    public async Task WriteAsync(Stream output, UsageQuery query, CancellationToken cancellationToken)
    {
        var records = store.ReadAsync(query.From, query.To, query.Grouping, cancellationToken);
        if (query.Format == UsageFormat.Json)
        {
            await WriteJsonAsync(output, query, records, cancellationToken);
            return;
        }

        // UTF-8 with a byte order mark: spreadsheets then read non-ASCII key names right when the file is opened.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, Csv);
        if (query.Format == UsageFormat.Focus)
        {
            csv.Context.RegisterClassMap<FocusRowCsvMap>();
            await WriteRowsAsync(csv, Focus(query, records, cancellationToken), cancellationToken);
        }
        else if (query.Grouping == UsageGrouping.None)
        {
            csv.Context.RegisterClassMap<UsageRecordCsvMap>();
            await WriteRowsAsync(csv, records, cancellationToken);
        }
        else
        {
            csv.Context.RegisterClassMap<UsageAggregateCsvMap>();
            await WriteRowsAsync(csv, UsageAggregator.AggregateAsync(records, query.Grouping, cancellationToken), cancellationToken);
        }
    }

    private static async Task WriteRowsAsync<T>(CsvWriter csv, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        csv.WriteHeader<T>();
        await csv.NextRecordAsync();
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.WriteRecord(row);
            await csv.NextRecordAsync();
            if (++written % 1000 == 0)
            {
                await csv.FlushAsync();
            }
        }

        await csv.FlushAsync();
    }

    private static async Task WriteJsonAsync(Stream output, UsageQuery query, IAsyncEnumerable<UsageRecord> records, CancellationToken cancellationToken)
    {
        // Through a pipe: the serializer flushes its writer synchronously, which must only ever reach memory.
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var json = new Utf8JsonWriter(pipe))
        {
            json.WriteStartArray();
            if (query.Grouping == UsageGrouping.None)
            {
                await foreach (var record in records.WithCancellation(cancellationToken))
                {
                    JsonSerializer.Serialize(json, record, UsageJsonContext.Default.UsageRecord);
                    await FlushSometimesAsync(pipe, cancellationToken);
                }
            }
            else
            {
                await foreach (var aggregate in UsageAggregator.AggregateAsync(records, query.Grouping, cancellationToken))
                {
                    JsonSerializer.Serialize(json, aggregate, UsageJsonContext.Default.UsageAggregate);
                    await FlushSometimesAsync(pipe, cancellationToken);
                }
            }

            json.WriteEndArray();
        }

        await pipe.CompleteAsync();
    }

    private static async Task FlushSometimesAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        if (pipe.UnflushedBytes > 32 * 1024)
        {
            await pipe.FlushAsync(cancellationToken);
        }
    }

    private static async IAsyncEnumerable<FocusRow> Focus(UsageQuery query, IAsyncEnumerable<UsageRecord> records, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query.Grouping == UsageGrouping.None)
        {
            await foreach (var record in records.WithCancellation(cancellationToken))
            {
                yield return new FocusRow
                {
                    BilledCost = record.Cost,
                    EffectiveCost = record.Cost,
                    BillingCurrency = record.Currency,
                    ChargePeriodStart = record.StartedAt,
                    ChargePeriodEnd = record.EndedAt,
                    SkuId = record.ServedModel,
                    ConsumedQuantity = record.TotalTokens,
                    Tags = Tags(record.KeyPrefix, record.KeyName, record.KeyGroup),
                    CostBasis = record.CostBasis,
                };
            }

            yield break;
        }

        await foreach (var group in UsageAggregator.AggregateAsync(records, query.Grouping, cancellationToken))
        {
            // A group of unpriced records only has no cost; one with any priced record has theirs.
            decimal? cost = group.UnpricedRecords == group.Requests + group.AbandonedAttempts ? null : group.Cost;
            var dayStart = group.Day is { } day ? new DateTimeOffset(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
            yield return new FocusRow
            {
                BilledCost = cost,
                EffectiveCost = cost,
                BillingCurrency = group.Currency,
                ChargePeriodStart = dayStart is { } start && start > query.From ? start : query.From,
                ChargePeriodEnd = dayStart is { } begin && begin.AddDays(1) < query.To ? begin.AddDays(1) : query.To,
                SkuId = group.Model ?? "all-models",
                ConsumedQuantity = group.TotalTokens,
                Tags = Tags(group.KeyPrefix, group.KeyName, group.KeyGroup),
                CostBasis = group.CostBasis,
            };
        }
    }

    private static string Tags(string prefix, string name, string group) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["key"] = prefix, ["keyName"] = name, ["group"] = group });
}
