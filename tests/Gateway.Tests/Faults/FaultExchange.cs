namespace Routescope.Gateway.Tests.Faults;

/// <summary>What the client of one fault case saw.</summary>
/// <param name="Status">The status, or 0 when no response headers arrived.</param>
/// <param name="ContentType">The media type of the response.</param>
/// <param name="Fallback">The <c>x-gateway-fallback</c> header.</param>
/// <param name="Served">The <c>x-gateway-model</c> header.</param>
/// <param name="Body">The body bytes that arrived.</param>
/// <param name="Complete">The body was read to its clean end.</param>
/// <param name="Failure">Why the exchange broke off (an exception type), or null.</param>
public sealed record FaultExchange(int Status, string? ContentType, string? Fallback, string? Served, byte[] Body, bool Complete, string? Failure);
