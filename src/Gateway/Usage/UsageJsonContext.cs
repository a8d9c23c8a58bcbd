using System.Text.Json.Serialization;

namespace Routescope.Gateway.Usage;

/// <summary>The journal's and the spill's JSON of a record (money as JSON numbers); exports write their own (<c>Exports/JsonRows</c>).</summary>

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UsageRecord))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
