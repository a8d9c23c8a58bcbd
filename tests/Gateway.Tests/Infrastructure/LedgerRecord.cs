namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>The fields of an exported usage record that say which request it bills and whether it is a request's own.</summary>
public sealed record LedgerRecord(string RequestId, string RecordId, string Outcome);
