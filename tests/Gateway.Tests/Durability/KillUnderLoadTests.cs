using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>Issue 16, durable before delivered: <c>kill -9</c> at a random moment of mixed JSON and SSE load, several times.</summary>
[Collection(ProcessGroup.Name)]
[Trait("Category", "Process")]
public sealed class KillUnderLoadTests(ITestOutputHelper output)
{
    private const int Kills = 5;

    [Fact]
    public async Task Every_answer_received_in_full_is_recorded_exactly_once_across_kill_9_under_load()
    {
        await using var rig = await DurabilityRig.StartAsync(output);
        for (var run = 0; run < Kills; run++)
        {
            await using var load = rig.StartLoad();
            await rig.RunLoadAsync(load, 300, 1500);
            await rig.KillAsync(load);
            await rig.KeepAsync(load);
            await rig.RestartAsync();
        }

        var audit = await rig.AuditAsync();

        audit.AssertExactlyOnce();
    }
}
