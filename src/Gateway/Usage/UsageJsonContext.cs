using System.Text.Json.Serialization;

namespace Routescope.Gateway.Usage;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UsageRecord))]
[JsonSerializable(typeof(UsageAggregate))]
[JsonSerializable(typeof(UsageSummary))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
