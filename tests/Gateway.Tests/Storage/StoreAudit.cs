using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Tests.Storage;

/// <summary>Audit entries for store tests that change keys without caring who did.</summary>
internal static class StoreAudit
{
    public static readonly AuditEntry Entry = AuditEntry.Of(new AuditActor("test", null), "test", new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero));
}
