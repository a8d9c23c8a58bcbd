namespace Routescope.Gateway.Metering;

/// <summary>One stage of the response tap: takes the body, chunk by chunk, as the stage before it produced it.</summary>
internal interface IBodyReader
{
    /// <summary>Reads the next bytes; the span is only valid during the call.</summary>
    void Feed(ReadOnlySpan<byte> chunk);
}
