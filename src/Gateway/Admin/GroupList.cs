namespace Routescope.Gateway.Admin;

/// <summary>The answer of <c>GET /admin/groups</c>.</summary>
internal sealed record GroupList(IReadOnlyList<GroupView> Groups);
