using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Storage;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>A store that fails on demand, to prove records survive an outage.</summary>
internal sealed class FlakyUsageStore(IUsageStore inner) : IUsageStore
{
    public volatile bool Failing;

    public Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken) =>
        Failing ? throw new InvalidOperationException("store down (test)") : inner.WriteAsync(records, cancellationToken);

    public IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken) =>
        inner.ReadAsync(from, to, grouping, cancellationToken);
}

/// <summary>A gateway with billing ratios, a quick replay and a store the test can take down.</summary>
public class UsageFixture : GatewayFixture
{
    internal FlakyUsageStore Store { get; private set; } = null!;

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Usage:ReplayInterval"] = "00:00:00.200";
        settings["Billing:GroupRatios:discounted"] = "0.8";
        settings["Billing:ChannelRatios:routescope"] = "1.1";
        return new GatewayFactory(settings, services: services => services.AddSingleton<IUsageStore>(provider =>
            Store = new FlakyUsageStore(new SqliteUsageStore(provider.GetRequiredService<SqliteDatabase>()))));
    }

    /// <summary>Every stored record, waiting until those with the given ids are all there (the sink is asynchronous).</summary>
    internal async Task<IReadOnlyList<UsageRecord>> RecordsAsync(IEnumerable<string> requestIds, TimeSpan? timeout = null)
    {
        var wanted = requestIds.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var all = new List<UsageRecord>();
            await foreach (var record in Store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), UsageGrouping.None, CancellationToken.None))
            {
                all.Add(record);
            }

            if (wanted.IsSubsetOf(all.Select(r => r.RequestId)) || DateTime.UtcNow > deadline)
            {
                return all;
            }

            await Task.Delay(50);
        }
    }
}
