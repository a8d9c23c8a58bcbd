using System.Text.Json.Serialization;

namespace Routescope.Gateway.Admin;

/// <summary>
/// Admin JSON. Answers that carry a policy are written with this context's own options (not the HTTP defaults, which
/// keep nulls), so an unset policy field is left out in the API and the CLI alike.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyList))]
[JsonSerializable(typeof(GroupView))]
[JsonSerializable(typeof(GroupList))]
[JsonSerializable(typeof(AuditList))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
