using System.Diagnostics;

using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// The data directory's disk fills up under load and is freed again. With records durable before delivery
/// (<c>Usage:Durability=BeforeDelivery</c>, the default) a gateway that cannot write a record must not deliver the
/// answer it bills: new billable requests are refused with a Gemini 503 and readiness drops, the process stays up, and
/// once there is room again it serves by itself, every answer delivered in full recorded exactly once.
/// </summary>
[Collection(ProcessGroup.Name)]
[Trait("Category", "Process")]
public sealed class FullDiskTests(ITestOutputHelper output)
{
    // Room for the store and its journal under normal load; the ballast takes the rest.
    private const int DiskMegabytes = 16;

    private static readonly TimeSpan FullFor = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_disk_refuses_billable_requests_with_503_until_freed_and_loses_no_delivered_record()
    {
        await using var disk = await TmpfsMount.MountAsync(DiskMegabytes);
        // A quick retry once the disk has room again; recovery is what is measured, not the retry interval.
        var settings = new Dictionary<string, string> { ["Usage__ReplayInterval"] = "00:00:01" };
        await using var rig = await DurabilityRig.StartAsync(output, Path.Combine(disk.Path, "data"), settings);
        var alive = true;
        DeliveredResponse? refusal = null;
        (int Status, string Body)? notReady = null;
        DeliveredResponse? recovered = null;
        await using (var load = rig.StartLoad())
        {
            await rig.RunLoadAsync(load, 300, 800);
            var (ballast, bytes) = disk.Fill("ballast.bin");
            output.WriteLine($"disk full: {bytes / (1024 * 1024.0):0.0} MB of ballast, {disk.FreeBytes} bytes free, {load.CompleteAnswers} complete answers so far");
            var problemsBefore = Problems(rig.Gateway);

            // The store and its journal may still have room in pages they already own: give the load time to use it up.
            var full = Stopwatch.StartNew();
            while (full.Elapsed < FullFor && (refusal is null || notReady is null))
            {
                alive &= !rig.Gateway.HasExited;
                var probe = await load.SendAsync(RequestKind.ChunkedJson);
                if (probe.Complete && probe.Status == 503)
                {
                    refusal ??= probe;
                }

                var readiness = await rig.Gateway.ReadinessAsync();
                if (readiness.Status is not (0 or 200))
                {
                    notReady ??= readiness;
                }

                await Task.Delay(100);
            }

            output.WriteLine($"while full ({full.Elapsed.TotalSeconds:0.0} s, {disk.FreeBytes} bytes free at the end): first refusal {Describe(refusal)}; "
                + $"readiness {(notReady is { } seen ? seen.Status + " " + seen.Body : "always 200")}; the gateway logged {Problems(rig.Gateway) - problemsBefore} errors");
            File.Delete(ballast);

            var freed = Stopwatch.StartNew();
            while (freed.Elapsed < RecoveryBound && recovered is null)
            {
                alive &= !rig.Gateway.HasExited;
                var probe = await load.SendAsync(RequestKind.ChunkedJson);
                recovered = probe.CompleteAnswer ? probe : null;
                await Task.Delay(100);
            }

            output.WriteLine(recovered is null ? $"no answer within {RecoveryBound} of freeing the disk" : $"answering again {freed.Elapsed.TotalSeconds:0.0} s after the disk was freed");
            await Task.Delay(500);
            await rig.KeepAsync(load);
            alive &= !rig.Gateway.HasExited;
        }

        // First: a gateway that died has no records to audit.
        Assert.True(alive, "The gateway exited while its disk was full or being freed:\n" + rig.Gateway.Tail());
        var audit = await rig.AuditAsync();

        Assert.True(refusal is not null, $"No billable request was refused with 503 in the {FullFor} the disk was full. {audit.Summary}");
        GeminiErrorAssert.IsError(refusal.ErrorBody!, 503, "UNAVAILABLE");
        Assert.True(notReady is not null, "/readyz answered 200 all the while the disk was full.");
        Assert.True(recovered is not null, $"The gateway did not answer again within {RecoveryBound} of the disk being freed:\n{rig.Gateway.Tail()}");
        audit.AssertExactlyOnce();
    }

    private static int Problems(GatewayProcess gateway) =>
        gateway.Lines.Count(line => line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));

    private static string Describe(DeliveredResponse? response) =>
        response is null ? "none" : $"{response.Status} {response.ErrorBody}";
}
