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
    /// The policy in a column of the current row. A value that is not a policy throws rather than reading as "no
    /// limits": a damaged row must not lift a key's budget.
    /// </summary>
    public static KeyPolicy Read(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return KeyPolicy.None;
        }

        var json = reader.GetString(ordinal);
        return json.Length == 0 ? KeyPolicy.None : JsonSerializer.Deserialize(json, StorageJsonContext.Default.KeyPolicy) ?? KeyPolicy.None;
    }
}
