using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// <c>kill -9</c> while another connection holds the SQLite store in an exclusive transaction, so that every commit of
/// the gateway is waiting when the process dies: the records of delivered answers must already be on disk elsewhere.
/// </summary>
[Collection(ProcessGroup.Name)]
[Trait("Category", "Process")]
public sealed class KillWithStoreLockedTests(ITestOutputHelper output)
{
    private const int Kills = 2;

    [Fact]
    public async Task Every_answer_received_in_full_is_recorded_exactly_once_after_kill_9_with_the_store_locked()
    {
        await using var rig = await DurabilityRig.StartAsync(output);
        for (var run = 0; run < Kills; run++)
        {
            await using var load = rig.StartLoad();
            await rig.RunLoadAsync(load, 200, 600);
            await using (await SqliteStoreLock.AcquireAsync(rig.DatabaseFile))
            {
                var answered = load.CompleteAnswers;
                await Task.Delay(rig.Random.Next(1000, 3000));
                output.WriteLine($"store locked: {load.CompleteAnswers - answered} answers completed meanwhile");
                await rig.KillAsync(load);
            }

            await rig.KeepAsync(load);
            await rig.RestartAsync();
        }

        var audit = await rig.AuditAsync();

        audit.AssertExactlyOnce();
    }
}
