using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Tests.Policy;

public sealed class ReplicaShareTests
{
    [Fact]
    public async Task Shares_add_up_to_the_figure_and_never_fall_below_one()
    {
        var registry = new SharedRegistry();
        var shares = Enumerable.Range(0, 3).Select(_ => new ReplicaShare(registry, Options.Create(new ReplicaOptions()), NullLogger<ReplicaShare>.Instance)).ToArray();
        // Twice round: on the first beat the early ones do not see the later ones yet.
        foreach (var share in shares.Concat(shares))
        {
            await share.StartAsync(CancellationToken.None);
        }

        Assert.All(shares, share => Assert.Equal(3, share.Replicas));
        Assert.Equal(10, shares.Sum(share => share.Of(10)));
        Assert.Equal(6, shares.Sum(share => share.Of(6)));
        Assert.All(shares, share => Assert.Equal(1, share.Of(1)));
        foreach (var share in shares)
        {
            await share.StopAsync(CancellationToken.None);
            share.Dispose();
        }
    }

    [Fact]
    public async Task A_replica_alone_enforces_the_whole_figure()
    {
        using var share = new ReplicaShare(new SharedRegistry(), Options.Create(new ReplicaOptions()), NullLogger<ReplicaShare>.Instance);
        await share.StartAsync(CancellationToken.None);

        Assert.Equal((1, 7), (share.Replicas, share.Of(7)));
        await share.StopAsync(CancellationToken.None);
    }

    /// <summary>One registry for replicas in one process, as a store would be for several.</summary>
    private sealed class SharedRegistry : IReplicaRegistry
    {
        private readonly SortedSet<string> _live = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<string>> HeartbeatAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken)
        {
            lock (_live)
            {
                _live.Add(replicaId);
                return Task.FromResult<IReadOnlyList<string>>([.. _live]);
            }
        }

        public Task LeaveAsync(string replicaId, CancellationToken cancellationToken)
        {
            lock (_live)
            {
                _live.Remove(replicaId);
            }

            return Task.CompletedTask;
        }
    }
}
