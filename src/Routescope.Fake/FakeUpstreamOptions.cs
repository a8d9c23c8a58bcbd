namespace Routescope.Fake;

/// <summary>Settings of the deterministic fake Routescope upstream.</summary>
public sealed class FakeUpstreamOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>When set, requests must carry <c>Authorization: Bearer {ApiKey}</c>, as Routescope requires.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Raw bytes of the image an image model returns when the request does not ask for a size.</summary>
    public int DefaultImageBytes { get; init; } = 32 * 1024;

    /// <summary>How many received requests the ledger keeps (oldest dropped first).</summary>
    public int LedgerCapacity { get; init; } = 10_000;
}
