using Routescope.Gateway.Observability;
using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// SIGTERM under load while another connection holds the SQLite store locked for the whole shutdown, so the shutdown
/// runs out of time with commits still waiting. The gateway must still stop by itself within its host shutdown
/// timeout and a margin, lose no delivered answer's record, and its log must tell the truth about anything it lost.
/// </summary>
[Collection(ProcessGroup.Name)]
[Trait("Category", "Process")]
public sealed class TerminateWithStoreLockedTests(ITestOutputHelper output)
{
    // Much shorter than the 330 s default (the Kubernetes manifest sets 330 too): the case is a shutdown that runs out of time
    // while the store is locked, and a short one gets there quickly; it is below SQLite's 10 s busy wait on purpose.
    private const int ShutdownTimeoutSeconds = 5;

    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(ShutdownTimeoutSeconds + 10);

    [Fact]
    public async Task Sigterm_with_the_store_locked_exits_in_time_and_loses_no_record_silently()
    {
        // A short drain delay too: the default 5 s would take all of the 5 s timeout before the listener closes.
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_shutdownTimeoutSeconds"] = ShutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lifecycle__DrainDelay"] = "00:00:01",
        };
        await using var rig = await DurabilityRig.StartAsync(output, settings: settings);
        await using (var load = rig.StartLoad())
        {
            await rig.RunLoadAsync(load, 200, 600);
            await using (await SqliteStoreLock.AcquireAsync(rig.DatabaseFile))
            {
                await Task.Delay(1500);
                await rig.TerminateAsync(load, ExitBound);
            }

            await rig.KeepAsync(load);
        }

        var claimedLost = rig.Gateway.Events(EventIds.UsageRecordsLost).Sum(e => e.GetProperty("Count").GetInt32());
        var stoppedLog = rig.Gateway.Tail();
        await rig.RestartAsync();
        var audit = await rig.AuditAsync();
        output.WriteLine($"the stopped gateway's log claims {claimedLost} records lost (event {EventIds.UsageRecordsLost})");

        audit.AssertExactlyOnce();
        // A graceful stop hands every forwarded request's record on; what it cannot, it must say it lost (and no more).
        Assert.True(claimedLost == audit.ForwardedWithoutRecord.Count,
            $"The log claims {claimedLost} records lost, but {audit.ForwardedWithoutRecord.Count} forwarded requests have none. {audit.Summary}\n{stoppedLog}");
    }
}
