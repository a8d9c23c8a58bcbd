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

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
