using System.Text.Json.Serialization;

using Routescope.Gateway.Audit;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage;

/// <summary>
/// JSON kept in store columns. Unknown members are skipped on purpose: during a rolling upgrade an older replica reads
/// policies a newer one wrote, and must still see the fields it knows.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeyPolicy))]
[JsonSerializable(typeof(AuditChange[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
