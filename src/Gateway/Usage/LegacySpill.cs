using System.Text;
using System.Text.Json;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Usage;

/// <summary>
/// The JSON-lines spill file versions before the journal wrote during store outages (and its <c>.replaying</c> twin
/// of an interrupted replay). At start its records move into the journal; only then are the files deleted, so a crash
/// in between imports them again, which the store's record ids make harmless.
/// </summary>
internal sealed class LegacySpill(IOptions<DataDirectoryOptions> dataDirectory, IOptions<UsageOptions> usage)
{
    private string PathName => dataDirectory.Value.File(usage.Value.SpillFileName);

    private IEnumerable<string> Files => [PathName + ".replaying", PathName];

    /// <summary>Every whole record of the spill files, and the count of torn lines (crashed appends) skipped.</summary>
    public (List<UsageRecord> Records, int TornLines) Read()
    {
        var records = new List<UsageRecord>();
        var torn = 0;
        foreach (var file in Files.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file, Encoding.UTF8))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (TryParse(line) is { } record)
                {
                    records.Add(record);
                }
                else
                {
                    torn++;
                }
            }
        }

        return (records, torn);
    }

    public void Delete()
    {
        foreach (var file in Files)
        {
            File.Delete(file);
        }
    }

    private static UsageRecord? TryParse(string line)
    {
        try
        {
            var record = JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord);
            // Lines spilled before records had an id of their own were keyed by request id: keep it, so a replay that
            // already reached the store stays a no-op. (A missing init-only property deserializes as null, not as its
            // initializer's value.)
            return record is null ? null : UsageRecordCosts.Complete(string.IsNullOrEmpty(record.RecordId) ? record with { RecordId = record.RequestId } : record);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
