namespace Routescope.Gateway.Admin;

/// <summary>The answer of <c>GET /admin/keys</c>.</summary>
internal sealed record KeyList(IReadOnlyList<KeyView> Keys);
