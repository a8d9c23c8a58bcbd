namespace Routescope.Gateway.Hosting;

/// <summary>
/// The <c>Lifecycle</c> section: how a shutdown drains. The host's own shutdown timeout (<c>DOTNET_shutdownTimeoutSeconds</c>)
/// bounds the whole of it, the delay included; <see cref="DefaultShutdownTimeout"/> applies when nothing sets it.
/// </summary>
internal sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>The host's key for its shutdown timeout (<c>DOTNET_shutdownTimeoutSeconds</c> in the environment).</summary>
    public const string ShutdownTimeoutKey = "shutdownTimeoutSeconds";

    /// <summary>
    /// Used when <see cref="ShutdownTimeoutKey"/> is not set: the drain delay (5 s), an image generation started just
    /// before it (the upstream timeout is 5 min) and 25 s for the last records to reach the store. .NET's own 30 s
    /// would cut 4K generations.
    /// </summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(330);

    /// <summary>
    /// After SIGTERM, how long readiness answers 503 while the listener still accepts and serves, so that load
    /// balancers stop routing here before the port closes.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);
}
