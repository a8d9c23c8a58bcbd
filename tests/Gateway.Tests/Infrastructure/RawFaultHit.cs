namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>A request <see cref="RawFaultUpstream"/> faulted: its <c>x-request-id</c>, the model it asked for, what it got.</summary>
public sealed record RawFaultHit(string RequestId, string Model, RawFault Fault);
