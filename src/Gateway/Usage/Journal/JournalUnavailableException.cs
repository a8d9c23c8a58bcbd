namespace Routescope.Gateway.Usage.Journal;

/// <summary>The journal could not make records durable: its disk refused the write or the fsync.</summary>
internal sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException()
    {
    }

    public JournalUnavailableException(string message)
        : base(message)
    {
    }

    public JournalUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
