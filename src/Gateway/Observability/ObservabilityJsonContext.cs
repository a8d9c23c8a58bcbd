using System.Text.Json.Serialization;

namespace Routescope.Gateway.Observability;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthBody))]
internal sealed partial class ObservabilityJsonContext : JsonSerializerContext;
