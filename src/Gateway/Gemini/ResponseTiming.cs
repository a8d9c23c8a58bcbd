namespace Routescope.Gateway.Gemini;

/// <summary>When metering began to watch a response and when its first body byte passed (timestamps of one <see cref="TimeProvider"/>).</summary>
internal readonly record struct ResponseTiming(DateTimeOffset StartedAt, long StartTimestamp, long FirstByteTimestamp)
{
    public bool SawFirstByte => FirstByteTimestamp != 0;
}
