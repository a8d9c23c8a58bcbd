using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Admin;

/// <summary>A page of the audit log, newest first; <see cref="Next"/> is the next page's path and query, absent on the last page.</summary>
internal sealed record AuditList(IReadOnlyList<AuditEntry> Entries, string? Next);
