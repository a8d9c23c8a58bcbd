namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>How many bytes each connection of a <see cref="TcpTap"/> had carried toward the upstream at one moment.</summary>
public sealed record TapMark(IReadOnlyDictionary<TapConnection, long> Lengths);
