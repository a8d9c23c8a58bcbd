namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// The tests that run gateways as processes under load. They run alone: each saturates the machine's cores on
/// purpose, which would starve the time-bounded waits of tests running beside them (and theirs, in turn).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessGroup
{
    public const string Name = "Process";
}
