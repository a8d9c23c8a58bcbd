namespace Routescope.Gateway.Policy.Replicas;

/// <summary>The <c>Replicas</c> section: how replicas sharing a store find each other.</summary>
internal sealed class ReplicaOptions
{
    public const string SectionName = "Replicas";

    /// <summary>How often a replica says it is alive; one silent for three of these no longer counts.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
