namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>
/// A body could not be spilled: the temp space's bound is taken by other requests (retryable), the body alone is larger
/// than the bound (<see cref="NeverFits"/>), or the temp directory refused the file (full, read-only, missing: retryable).
/// </summary>
internal sealed class TempSpaceRefusedException : Exception
{
    public TempSpaceRefusedException()
    {
    }

    public TempSpaceRefusedException(string message)
        : base(message)
    {
    }

    public TempSpaceRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TempSpaceRefusedException(string message, bool neverFits, Exception? innerException = null)
        : base(message, innerException) => NeverFits = neverFits;

    /// <summary>The body alone is larger than <c>Limits:MaxTempBytes</c>: retrying cannot help.</summary>
    public bool NeverFits { get; }

    /// <summary>The file system refused (rather than the bound).</summary>
    public bool DiskFailed => InnerException is not null;
}
