using System.Diagnostics;
using System.Globalization;

using Routescope.Fake;
using Routescope.Gateway.Tests.Durability;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Hosting;

/// <summary>
/// SIGTERM to a real gateway process with slow generations in flight, on small numbers (a 2 s drain delay, a 10 s
/// shutdown timeout): readiness turns 503 at once while the listener still accepts new connections for the delay,
/// every request that could finish within the shutdown timeout finishes with its record, the ones that could not are
/// recorded with outcome <c>shutdown</c>, and the process exits 0 within the bound. A second SIGTERM cuts at once.
/// </summary>
[Collection(ProcessGroup.Name)]
[Trait("Category", "Process")]
public sealed class DrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string UpstreamKey = "upstream-key-drain-5b2c";
    private const int DrainDelaySeconds = 2;
    private const int ShutdownTimeoutSeconds = 10;

    // Upstream delays, all started before the SIGTERM: these end well inside the 10 s (cuts begin at 9 s) ...
    private static readonly int[] FinishingDelaysMs = [1000, 2500, 4000, 5500];

    // ... and these cannot.
    private static readonly int[] CutDelaysMs = [20_000, 40_000];

    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(ShutdownTimeoutSeconds + 5);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("rsg-drain-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() =>
        _upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = UpstreamKey, DefaultImageBytes = 1024 });

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Sigterm_keeps_accepting_through_the_delay_with_readiness_503_finishes_what_fits_and_records_the_cut_as_shutdown()
    {
        var gateway = await GatewayProcess.StartAsync(Environment(DrainDelaySeconds));
        await using var running = gateway;
        var key = await gateway.CreateKeyAsync("drain");
        using var client = gateway.CreateClient(TimeSpan.FromSeconds(60));

        var finishing = FinishingDelaysMs.Select(delay => Send(client, key, delay)).ToArray();
        var cut = CutDelaysMs.Select(delay => Send(client, key, delay)).ToArray();
        var all = finishing.Concat(cut).ToArray();
        await Eventually.TrueAsync(() => all.All(slow => _upstream.Received.Any(r => r.Header("x-request-id") == slow.RequestId)), TimeSpan.FromSeconds(20));

        var sinceSigterm = Stopwatch.StartNew();
        gateway.Terminate();
        await Task.Delay(300);

        // A new connection during the delay is still served, and readiness (also new connections) says 503 throughout.
        using var late = gateway.CreateClient(TimeSpan.FromSeconds(30));
        var lateRequest = Send(late, key, 0);
        var samples = new List<(double At, int Status)>();
        while (sinceSigterm.Elapsed < TimeSpan.FromSeconds(DrainDelaySeconds - 0.4))
        {
            var (status, _) = await gateway.ReadinessAsync();
            samples.Add((sinceSigterm.Elapsed.TotalSeconds, status));
            await Task.Delay(200);
        }

        var lateStatus = await lateRequest.Outcome;
        var exitCode = await gateway.WaitForExitAsync(ExitBound - sinceSigterm.Elapsed);
        var exitedAfter = sinceSigterm.Elapsed.TotalSeconds;
        var finished = await Task.WhenAll(finishing.Select(slow => slow.Outcome));
        var cutOutcomes = await Task.WhenAll(cut.Select(slow => slow.Outcome));

        // The records: a new process on the same data directory moves whatever the stopped one left in its journal.
        var next = await GatewayProcess.StartAsync(Environment(DrainDelaySeconds));
        await using var restarted = next;
        var ledger = (await UsageLedger.SettledAsync(next, TimeSpan.FromSeconds(30))).OwnRecords;
        string Outcome(Slow slow) => string.Join(",", ledger[slow.RequestId].Select(r => r.Outcome));

        output.WriteLine($"readiness after SIGTERM: {string.Join(", ", samples.Select(s => $"{s.At:0.0}s={s.Status}"))}");
        output.WriteLine($"new connection 0.3 s after SIGTERM: answered {lateStatus}, record {Outcome(lateRequest)}");
        output.WriteLine($"finished within the drain: {finished.Count(s => s == 200)} of {finishing.Length} "
            + $"(upstream delays {string.Join("/", FinishingDelaysMs)} ms; records {string.Join(",", finishing.Select(Outcome))})");
        output.WriteLine($"cut by the shutdown: {cutOutcomes.Count(s => s != 200)} of {cut.Length} "
            + $"(upstream delays {string.Join("/", CutDelaysMs)} ms; records {string.Join(",", cut.Select(Outcome))})");
        output.WriteLine($"exit code {exitCode} after {exitedAfter:0.0} s (drain delay {DrainDelaySeconds} s, shutdown timeout {ShutdownTimeoutSeconds} s)");

        Assert.True(samples.Count >= 3, $"only {samples.Count} readiness samples during the delay");
        Assert.All(samples, sample => Assert.Equal(503, sample.Status));
        Assert.Equal(200, lateStatus);
        Assert.Equal(UsageOutcome.Complete, Outcome(lateRequest));
        Assert.All(finished, status => Assert.Equal(200, status));
        Assert.All(finishing, slow => Assert.Equal(UsageOutcome.Complete, Outcome(slow)));
        Assert.All(cutOutcomes, status => Assert.NotEqual(200, status));
        Assert.All(cut, slow => Assert.Equal(UsageOutcome.Shutdown, Outcome(slow)));
        Assert.Equal(0, exitCode);
        Assert.InRange(exitedAfter, ShutdownTimeoutSeconds - 2, ExitBound.TotalSeconds);
    }

    [Fact]
    public async Task A_second_sigterm_ends_the_drain_at_once_and_records_what_it_cut_as_shutdown()
    {
        // A long delay and the shipped timeout: without the second signal this would take minutes.
        var environment = Environment(60);
        environment.Remove("DOTNET_shutdownTimeoutSeconds");
        var gateway = await GatewayProcess.StartAsync(environment);
        await using var running = gateway;
        var key = await gateway.CreateKeyAsync("impatient");
        using var client = gateway.CreateClient(TimeSpan.FromSeconds(60));
        var slow = Send(client, key, 120_000);
        await Eventually.TrueAsync(() => _upstream.Received.Any(r => r.Header("x-request-id") == slow.RequestId), TimeSpan.FromSeconds(20));

        var sinceSigterm = Stopwatch.StartNew();
        gateway.Terminate();
        await Eventually.TrueAsync(async () => (await gateway.ReadinessAsync()).Status == 503, TimeSpan.FromSeconds(10));
        gateway.Terminate();
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var exitedAfter = sinceSigterm.Elapsed.TotalSeconds;
        var status = await slow.Outcome;

        var next = await GatewayProcess.StartAsync(environment);
        await using var restarted = next;
        var ledger = (await UsageLedger.SettledAsync(next, TimeSpan.FromSeconds(30))).OwnRecords;
        output.WriteLine($"second SIGTERM: exit code {exitCode} after {exitedAfter:0.0} s; the 120 s generation answered {status}, "
            + $"record {string.Join(",", ledger[slow.RequestId].Select(r => r.Outcome))}");

        Assert.Equal(0, exitCode);
        Assert.True(exitedAfter < 15, $"the gateway took {exitedAfter:0.0} s to exit after a second SIGTERM");
        Assert.NotEqual(200, status);
        Assert.Equal(UsageOutcome.Shutdown, Assert.Single(ledger[slow.RequestId]).Outcome);
    }

    private Dictionary<string, string> Environment(int drainDelaySeconds) => new()
    {
        ["GATEWAY_DATA_DIR"] = _dataDirectory,
        ["ROUTESCOPE_BASE_URL"] = _upstream.BaseAddress.ToString(),
        ["ROUTESCOPE_API_KEY"] = UpstreamKey,
        ["Lifecycle__DrainDelay"] = TimeSpan.FromSeconds(drainDelaySeconds).ToString("c", CultureInfo.InvariantCulture),
        ["DOTNET_shutdownTimeoutSeconds"] = ShutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A generation the upstream answers after <paramref name="delayMs"/>; its outcome is the status, 0 when the answer broke off.</summary>
    private static Slow Send(HttpClient client, string key, int delayMs)
    {
        var request = GeminiRequests.Generate(key);
        request.Headers.Add(FakeHeaders.DelayMs, delayMs.ToString(CultureInfo.InvariantCulture));
        return new Slow(GeminiRequests.RequestId(request), CompleteAsync(client, request));
    }

    private static async Task<int> CompleteAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                return (int)response.StatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
            {
                return 0;
            }
        }
    }

    private sealed record Slow(string RequestId, Task<int> Outcome);
}
