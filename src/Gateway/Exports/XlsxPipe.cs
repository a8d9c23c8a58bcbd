using System.IO.Pipelines;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Runs a synchronous spreadsheet writer against an asynchronous output. MiniExcel's only valid writer is its
/// synchronous one (1.46's SaveAsAsync puts <c>&lt;drawing&gt;</c> inside <c>&lt;sheetData&gt;</c>, which the schema
/// forbids), and ASP.NET Core refuses synchronous writes to a response unless AllowSynchronousIO is turned on, which
/// would let any slow client hold a pool thread in a blocked write. So the workbook is written on a thread of its own
/// into a bounded in-memory pipe, and the caller copies the pipe to the output asynchronously: the writer blocks (on
/// its own thread, not the pool's) while the client is slower than the store, memory stays within the pipe's bound,
/// and no server-wide setting changes. A failure on either side ends the other: the writer's error reaches the caller
/// through the pipe, and a reader that stops (client gone, cancelled) makes the writer's next write fail.
/// </summary>
internal static class XlsxPipe
{
    /// <summary>Bytes the writer may be ahead of the output before it waits.</summary>
    private const long PauseWriterAt = 1024 * 1024;

    private const long ResumeWriterAt = 256 * 1024;

    public static async Task WriteAsync(Stream output, Action<Stream, CancellationToken> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseWriterAt, resumeWriterThreshold: ResumeWriterAt, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Long-running: a dedicated thread, since it blocks on the pipe and on the store for the whole export.
        var writer = Task.Factory.StartNew(() => Produce(pipe.Writer, write, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await pipe.Reader.CopyToAsync(output, cancellationToken);
        }
        catch
        {
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            await writer;
            throw;
        }

        await pipe.Reader.CompleteAsync();
        await writer;
    }

    private static void Produce(PipeWriter pipe, Action<Stream, CancellationToken> write, CancellationToken cancellationToken)
    {
        try
        {
            using (var stream = new XlsxPipeStream(pipe))
            {
                write(stream, cancellationToken);
            }

            pipe.Complete();
        }
        catch (Exception failure)
        {
            // The reader rethrows it: the caller sees the store's (or the writer's) own error.
            pipe.Complete(failure);
        }
    }
}
