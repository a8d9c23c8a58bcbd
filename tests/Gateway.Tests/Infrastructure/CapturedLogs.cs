using System.Collections.Concurrent;

using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>Every log event the gateway emits, rendered exactly as the stdout JSON formatter renders it.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly RenderedCompactJsonFormatter _formatter = new();
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>
    /// The one line logged for the request with this id. It is written once the response completes, which can be just
    /// after the client saw the response.
    /// </summary>
    public async Task<string> RequestLineAsync(string requestId)
    {
        string? line = null;
        await Eventually.TrueAsync(() => (line = Lines.SingleOrDefault(l => l.Contains("\"RequestId\":\"" + requestId + "\"", StringComparison.Ordinal))) is not null);
        return line!;
    }

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
