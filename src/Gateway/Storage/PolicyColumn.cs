using System.Data.Common;
using System.Text.Json;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage;

/// <summary>How both stores keep a <see cref="KeyPolicy"/> in a text column: JSON of the fields set, NULL when none is.</summary>
internal static class PolicyColumn
{
    public static object Write(KeyPolicy policy) =>
        policy == KeyPolicy.None ? DBNull.Value : JsonSerializer.Serialize(policy, StorageJsonContext.Default.KeyPolicy);

    /// <summary>
    /// The policy in a column of the current row. A value that is not a policy reads as <see cref="KeyPolicy.Damaged"/>,
    /// never as "no limits" (a damaged row must not lift a key's budget) and never as an exception (one damaged row
    /// must not take the admin lists, or every other key's lookup, down with it).
    /// </summary>
    public static KeyPolicy Read(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return KeyPolicy.None;
        }

        var json = reader.GetString(ordinal);
        if (json.Length == 0)
        {
            return KeyPolicy.None;
        }

        try
        {
            return JsonSerializer.Deserialize(json, StorageJsonContext.Default.KeyPolicy) ?? KeyPolicy.Damaged;
        }
        catch (JsonException)
        {
            return KeyPolicy.Damaged;
        }
    }
}
