namespace Routescope.Gateway.Keys;

/// <summary>
/// The authenticated key's policy after inheritance, set as a request feature by the authentication handler so
/// that the rate limiter (which runs before the proxy pipeline) and the policy step read it without a lookup.
/// </summary>
internal sealed record CallerPolicy(string KeyId, KeyPolicy Effective);
