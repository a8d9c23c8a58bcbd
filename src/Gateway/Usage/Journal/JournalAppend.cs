namespace Routescope.Gateway.Usage.Journal;

/// <summary>One caller's records, encoded, waiting for the group they are fsynced with.</summary>
internal sealed class JournalAppend(ReadOnlyMemory<byte> lines, int records)
{
    private readonly TaskCompletionSource _durable = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReadOnlyMemory<byte> Lines => lines;

    public int Records => records;

    /// <summary>Completes once the lines are on disk; fails with <see cref="JournalUnavailableException"/> when the disk refused them.</summary>
    public Task Durable => _durable.Task;

    public void Done() => _durable.TrySetResult();

    public void Refused(JournalUnavailableException reason) => _durable.TrySetException(reason);
}
