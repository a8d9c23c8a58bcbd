using System.Diagnostics;
using System.Globalization;

using Routescope.Fake;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// One durability scenario's world: a fake upstream in the test process, a data directory, and the gateway process
/// serving from it, which the test kills or stops and starts again on the same directory. It keeps every exchange of
/// every run, so the final audit sets all of them against the store. Random choices come from one seed, printed
/// (and settable through <c>DURABILITY_SEED</c>) so a failing run can be repeated.
/// </summary>
internal sealed class DurabilityRig : IAsyncDisposable
{
    /// <summary>Client loops: enough to keep two cores busy and many answers in flight at the kill.</summary>
    public const int Concurrency = 24;

    private const string UpstreamKey = "upstream-key-durability-3a9f";

    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, string> _environment;
    private readonly List<DeliveredResponse> _responses = [];
    private readonly bool _ownsDirectory;

    private DurabilityRig(ITestOutputHelper output, FakeUpstream upstream, string dataDirectory, bool ownsDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        _output = output;
        Upstream = upstream;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        var seed = Environment.GetEnvironmentVariable("DURABILITY_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Random = new Random(seed);
        output.WriteLine($"seed {seed} (DURABILITY_SEED={seed} repeats this run's choices)");
        _environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["GATEWAY_DATA_DIR"] = dataDirectory,
            ["ROUTESCOPE_BASE_URL"] = upstream.BaseAddress.ToString(),
            ["ROUTESCOPE_API_KEY"] = UpstreamKey,
        };
    }

    public FakeUpstream Upstream { get; }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, SqliteDatabase.FileName);

    public Random Random { get; }

    /// <summary>The gateway process of the current run.</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    /// <summary>The gateway key every client uses (it lives in the store, so it survives restarts).</summary>
    public string Key { get; private set; } = null!;

    /// <summary>Gateway processes the test has ended so far.</summary>
    public int Runs { get; private set; }

    /// <summary>
    /// Starts the upstream and the first gateway on <paramref name="dataDirectory"/> (a fresh temporary one when null),
    /// with extra environment <paramref name="settings"/>, and creates the clients' key.
    /// </summary>
    public static async Task<DurabilityRig> StartAsync(ITestOutputHelper output, string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        // Small images: the answers' shape (JSON, SSE events, usage) is what matters, not their weight.
        var upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = UpstreamKey, DefaultImageBytes = 1024, LedgerCapacity = 200_000 });
        upstream.Script = LoadDriver.Script;
        var rig = new DurabilityRig(output, upstream, dataDirectory ?? Directory.CreateTempSubdirectory("rsg-durability-").FullName, dataDirectory is null, settings);
        try
        {
            Directory.CreateDirectory(rig.DataDirectory);
            rig.Gateway = await GatewayProcess.StartAsync(rig._environment);
            rig.Key = await rig.Gateway.CreateKeyAsync("durability");
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public LoadDriver StartLoad() => LoadDriver.Start(Gateway.Address, Key, Concurrency, Random.Next());

    /// <summary>Waits until the load has had answers (the new process is warm), then lets it run a random while.</summary>
    public async Task RunLoadAsync(LoadDriver load, int minMilliseconds, int maxMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(load);
        await Eventually.TrueAsync(() => load.CompleteAnswers > 0 || Gateway.HasExited, TimeSpan.FromSeconds(20));
        Assert.False(Gateway.HasExited, "The gateway exited under load:\n" + Gateway.Tail());
        await Task.Delay(Random.Next(minMilliseconds, maxMilliseconds));
    }

    /// <summary><c>kill -9</c> the current gateway under load and wait until the kernel has reaped it.</summary>
    public async Task KillAsync(LoadDriver load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var answered = load.CompleteAnswers;
        Gateway.Kill();
        // What the kill interrupted is the point; requests refused by a dead port afterwards are not.
        load.Halt();
        await Gateway.WaitForExitAsync(KillTimeout);
        Runs++;
        _output.WriteLine($"run {Runs}: kill -9 (pid {Gateway.Id}) after {answered} complete answers");
    }

    /// <summary>
    /// SIGTERM the current gateway under load; it must exit by itself within <paramref name="bound"/>. Returns its exit code.
    /// </summary>
    public async Task<int> TerminateAsync(LoadDriver load, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(load);
        var stopping = Stopwatch.StartNew();
        Gateway.Terminate();
        // Clients go on sending into the start of the shutdown (requests in flight finish, new ones are turned away),
        // then stop, rather than knock on a closed port for as long as the shutdown takes.
        await Task.Delay(500);
        load.Halt();
        var exitCode = await Gateway.WaitForExitAsync(bound - stopping.Elapsed);
        Runs++;
        _output.WriteLine($"run {Runs}: SIGTERM (pid {Gateway.Id}); exited with {exitCode} after {stopping.Elapsed.TotalSeconds:0.0} s");
        return exitCode;
    }

    /// <summary>Keeps a finished load's exchanges for the audit.</summary>
    public async Task KeepAsync(LoadDriver load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var responses = await load.StopAsync();
        _responses.AddRange(responses);
        _output.WriteLine($"  {responses.Count} requests, {responses.Count(r => r.CompleteAnswer)} complete answers, "
            + $"{responses.Count(r => !r.Complete && r.Status != 0)} broken off, {responses.Count(r => r.Status == 0)} unanswered");
    }

    /// <summary>Starts a new gateway process on the same data directory, once the last one is gone.</summary>
    public async Task RestartAsync()
    {
        Assert.True(Gateway.HasExited, "RestartAsync: the previous gateway is still running.");
        await Gateway.DisposeAsync();
        Gateway = await GatewayProcess.StartAsync(_environment);
    }

    /// <summary>
    /// Once the current gateway has drained what earlier runs left behind: every exchange of every run against the
    /// store's records and the upstream's ledger, reported to the test output.
    /// </summary>
    public async Task<DurabilityAudit> AuditAsync()
    {
        var ledger = await UsageLedger.SettledAsync(Gateway, SettleTimeout);
        var forwarded = Upstream.Ledger.Select(entry => entry.RequestId).OfType<string>();
        var audit = DurabilityAudit.Of(Runs, _responses, ledger, forwarded);
        _output.WriteLine(audit.Summary);
        return audit;
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
