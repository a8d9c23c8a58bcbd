using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Metering;

/// <summary>What metering logs. Never body bytes: only what the headers said.</summary>
internal static partial class MeteringLog
{
    [LoggerMessage(EventId = EventIds.ResponseUnmetered, Level = LogLevel.Warning, Message = "Response body with Content-Encoding {ContentEncoding} could not be read: its usage is unmetered")]
    public static partial void Unmetered(ILogger logger, string? contentEncoding);
}
