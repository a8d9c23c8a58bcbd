using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Audit;

/// <summary>Every kept audit entry is logged too, so log pipelines see admin changes without reading the store.</summary>
internal static partial class AuditLog
{
    public static void Kept(ILogger logger, AuditEntry entry)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var changes = string.Join("; ", entry.Changes.Select(change => $"{change.Field}: {change.Old ?? "unset"} -> {change.New ?? "unset"}"));
            LogKept(logger, entry.Action, entry.Actor, entry.Origin ?? "-", entry.KeyId ?? "-", entry.KeyName ?? "-", entry.Group ?? "-", changes);
        }
    }

    [LoggerMessage(EventId = EventIds.AuditEntryKept, Level = LogLevel.Information,
        Message = "Audit: {Action} by {Actor} from {Origin}, key {KeyId} ({KeyName}), group {Group}: {Changes}")]
    private static partial void LogKept(ILogger logger, string action, string actor, string origin, string keyId, string keyName, string group, string changes);
}
