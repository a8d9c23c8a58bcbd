namespace Routescope.Gateway.Tests.Hostile;

/// <summary>The run-time values the corpus's placeholders stand for.</summary>
public sealed record HostileValues(string Host, string Key, string RequestId, string AdminToken, string UpstreamKey);
