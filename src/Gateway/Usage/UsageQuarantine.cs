using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Records the store refused for what they hold (not for being down), kept so that they stop nothing behind them:
/// JSON lines in <c>usage-quarantine.jsonl</c> in the data directory, fsynced. Each is money the store does not show
/// yet; once the cause is fixed, renaming the file to the old spill file name (<c>usage-spill.jsonl</c>) moves its
/// records into the journal at the next start.
/// </summary>
internal sealed class UsageQuarantine(IOptions<DataDirectoryOptions> dataDirectory)
{
    public const string FileName = "usage-quarantine.jsonl";

    private string PathName => dataDirectory.Value.File(FileName);

    public bool Holds => File.Exists(PathName);

    /// <summary>Appends the records and fsyncs them; throws the disk's I/O error when it refuses.</summary>
    public void Add(IReadOnlyList<UsageRecord> records)
    {
        using var file = new FileStream(PathName, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        file.Write(JournalLines.Encode(records).Span);
        file.Flush(flushToDisk: true);
    }
}
