namespace Routescope.Fake;

/// <summary>Breaking the connection on purpose, the way a dropped upstream does, and saying so to the caller's code.</summary>
internal static class FakeConnection
{
    /// <summary>
    /// Sends what was written so far, aborts the connection, and throws <see cref="OperationCanceledException"/> so
    /// the answer's writer stops as it would on a dropped connection (Kestrel signals its own abort only later).
    /// </summary>
    public static async Task BreakAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            await context.Response.Body.FlushAsync(cancellationToken);
            // Kestrel may drop output still queued when the connection is aborted; a moment lets the flushed bytes leave.
            await Task.Delay(50, cancellationToken);
        }

        context.Abort();
        throw new OperationCanceledException("The fake upstream broke the connection, as steered.");
    }
}
