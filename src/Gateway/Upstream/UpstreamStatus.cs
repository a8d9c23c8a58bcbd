namespace Routescope.Gateway.Upstream;

/// <summary>The status of the last upstream answer, as a request feature (for logs and usage records).</summary>
internal sealed record UpstreamStatus(int StatusCode);
