using System.Globalization;

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Keys;

/// <summary>The fields that differ between two policies, as the audit log keeps them (the admin API's field names, values as text).</summary>
internal static class KeyPolicyChanges
{
    public static IReadOnlyList<AuditChange> Between(KeyPolicy old, KeyPolicy current)
    {
        var changes = new List<AuditChange>();
        Add(changes, "allowedModels", Models(old.AllowedModels), Models(current.AllowedModels));
        Add(changes, "rpm", Text(old.Rpm), Text(current.Rpm));
        Add(changes, "concurrency", Text(old.Concurrency), Text(current.Concurrency));
        Add(changes, "monthlyBudgetUsd", Text(old.MonthlyBudgetUsd), Text(current.MonthlyBudgetUsd));
        Add(changes, "softBudgetRatio", Text(old.SoftBudgetRatio), Text(current.SoftBudgetRatio));
        Add(changes, "expiresAt", Time(old.ExpiresAt), Time(current.ExpiresAt));
        Add(changes, "disabled", Flag(old.Disabled), Flag(current.Disabled));
        return changes;
    }

    public static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Add(List<AuditChange> changes, string field, string? old, string? current)
    {
        if (!string.Equals(old, current, StringComparison.Ordinal))
        {
            changes.Add(new AuditChange(field, old, current));
        }
    }

    // Patterns are letters, digits, '.', '-', '_' and '*': a comma cannot be part of one.
    private static string? Models(IReadOnlyList<string>? models) => models is null ? null : string.Join(',', models);

    private static string? Text<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);

    private static string? Flag(bool? value) => value is { } flag ? (flag ? "true" : "false") : null;
}
