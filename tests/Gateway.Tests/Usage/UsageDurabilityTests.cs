using System.Net;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>
/// A store outage, a disk that refuses the journal and a shutdown lose nothing and count nothing twice; under the
/// default durability no client gets a complete answer whose record is not on disk.
/// </summary>
public abstract class UsageDurabilityTests(UsageFixture gateway) : IAsyncLifetime
{
    private readonly UsageFixture _gateway = gateway;

    private UsageJournal Journal => _gateway.Factory.Services.GetRequiredService<UsageJournal>();

    private string JournalDirectory => Path.Combine(_gateway.DataDirectory, "usage-journal");

    public Task InitializeAsync() => _gateway.InitializeAsync();

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task Records_wait_in_the_journal_during_a_store_outage_and_reach_the_store_once_it_is_back()
    {
        var key = await _gateway.CreateKeyAsync("outage");
        _gateway.Store.Failing = true;
        var ids = await SendAsync(key.Key, 25);
        Assert.True(Journal.Pending >= 25, $"{Journal.Pending} records in the journal");
        // The backlog shows once the writer has met the outage: under load the probe can come before its first failed write.
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await _gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            return (await ready.Content.ReadAsStringAsync()).Contains("in the journal", StringComparison.Ordinal);
        });

        _gateway.Store.Failing = false;
        var records = await _gateway.RecordsAsync(ids);

        Assert.Equal(ids.Order(), records.Where(r => ids.Contains(r.RequestId)).Select(r => r.RequestId).Order());
        Assert.Equal(records.Count, records.Select(r => r.RecordId).Distinct().Count());
        await Eventually.TrueAsync(() => Journal.Pending == 0);
        Assert.Equal(Journal.Durable, Journal.Start);
        Assert.True(Directory.GetFiles(JournalDirectory, "*.journal").Length <= 1, "released segments are deleted");
    }

    [Fact]
    public async Task A_disk_that_refuses_the_journal_cuts_the_answer_in_flight_refuses_new_billable_requests_and_recovers_by_itself()
    {
        var key = await _gateway.CreateKeyAsync("full-disk");
        var before = await SendAsync(key.Key, 3);
        await RefuseJournalAsync(key.Key);

        // In flight as the disk fills: its record cannot be made durable, so its end never reaches the client.
        using (var inFlight = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview"))
        {
            var cut = await Record.ExceptionAsync(async () =>
            {
                using var response = await _gateway.Client.SendAsync(inFlight);
                await response.Content.ReadAsByteArrayAsync();
            });
            Assert.True(cut is HttpRequestException or IOException, $"the answer arrived complete ({cut?.GetType().Name ?? "no error"})");
            before.Add(GeminiRequests.RequestId(inFlight));
        }

        using (var refused = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview"))
        {
            using var response = await _gateway.Client.SendAsync(refused);
            var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.Contains("usage journal", message, StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(refused)));
        }

        using (var ready = await _gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("refuses writes", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains(_gateway.Logs.Lines, line => line.Contains("\"Id\":6016", StringComparison.Ordinal));

        // Room again: the probe notices, and requests go through without anyone restarting anything.
        File.Delete(JournalDirectory);
        await Eventually.TrueAsync(() => Journal.Available);
        var after = await SendAsync(key.Key, 3);

        var ids = before.Concat(after).ToList();
        var records = await _gateway.RecordsAsync(ids);
        Assert.Equal(ids.Order(), records.Where(r => ids.Contains(r.RequestId)).Select(r => r.RequestId).Order());
        Assert.Equal(records.Count, records.Select(r => r.RecordId).Distinct().Count());
    }

    [Fact]
    public async Task A_record_the_store_refuses_for_what_it_holds_is_quarantined_and_stops_nothing_behind_it()
    {
        var key = await _gateway.CreateKeyAsync("poison");
        lock (_gateway.Store.Poisoned)
        {
            _gateway.Store.Poisoned.Add("poisoned-request-1");
        }

        using (var poisoned = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview", requestId: "poisoned-request-1"))
        using (var response = await _gateway.Client.SendAsync(poisoned))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ids = await SendAsync(key.Key, 10);
        var records = await _gateway.RecordsAsync(ids);

        Assert.Equal(ids.Order(), records.Where(r => ids.Contains(r.RequestId)).Select(r => r.RequestId).Order());
        await Eventually.TrueAsync(() => Journal.Pending == 0);
        var quarantined = await File.ReadAllLinesAsync(Path.Combine(_gateway.DataDirectory, "usage-quarantine.jsonl"));
        Assert.Contains("poisoned-request-1", Assert.Single(quarantined), StringComparison.Ordinal);
        using var ready = await _gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Contains("usage-quarantine.jsonl", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(_gateway.Logs.Lines, line => line.Contains("\"Id\":6018", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_answered_request_has_its_record_after_a_shutdown_under_load()
    {
        var key = await _gateway.CreateKeyAsync("shutdown");
        _gateway.Store.Failing = true;
        var ids = await SendAsync(key.Key, 40);
        await _gateway.Factory.DisposeAsync();
        Assert.Contains(_gateway.Logs.Lines, line => line.Contains("\"Id\":6014", StringComparison.Ordinal) && line.Contains("40 usage records", StringComparison.Ordinal));

        // A new replica on the same data directory (and store) moves what the old one journaled.
        await using var next = new GatewayFactory(_gateway.StoreSettings());
        next.StartServer();
        var store = next.Services.GetRequiredService<IUsageStore>();
        var found = new List<string>();
        for (var attempt = 0; attempt < 100 && found.Count < ids.Count; attempt++)
        {
            found.Clear();
            await foreach (var record in store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
            {
                found.Add(record.RequestId);
            }

            await Task.Delay(100);
        }

        Assert.Equal(ids.Order(), found.Where(ids.Contains).Order());
        Assert.Equal(found.Count, found.Distinct().Count());
    }

    [Fact]
    public async Task A_request_the_shutdown_cuts_is_recorded_as_cut_by_the_shutdown()
    {
        // A replica of its own (a data directory, hence a journal, of its own) on the same store.
        var settings = _gateway.StoreSettings();
        settings["GATEWAY_DATA_DIR"] = _gateway.DataDirectory + "-cut";
        var stopping = new GatewayFactory(settings, services: services => services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        using var client = new HttpClient { BaseAddress = stopping.Address };
        var key = await _gateway.CreateKeyAsync("cut", replica: stopping.Address);
        using var request = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview");
        request.Headers.Add("x-fake-delay-ms", "30000");
        var inFlight = client.SendAsync(request);
        await Eventually.TrueAsync(() => _gateway.UpstreamReceived(GeminiRequests.RequestId(request)).Count > 0);

        await stopping.DisposeAsync();
        await Record.ExceptionAsync(() => inFlight);

        await using var next = new GatewayFactory(settings);
        next.StartServer();
        var store = next.Services.GetRequiredService<IUsageStore>();
        UsageRecord? record = null;
        await Eventually.TrueAsync(async () =>
        {
            await foreach (var stored in store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
            {
                record = stored.RequestId == GeminiRequests.RequestId(request) ? stored : record;
            }

            return record is not null;
        });
        Assert.NotNull(record);
        await next.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(settings["GATEWAY_DATA_DIR"]!, recursive: true);
        Assert.Equal(UsageOutcome.Shutdown, record.Outcome);
        Assert.Equal(503, record.HttpStatus);
        Assert.Equal(UsageCostBasis.Estimated, record.CostBasis);
        Assert.True(record.ChargebackCost > 0);
    }

    /// <summary>
    /// Makes the journal's disk refuse writes as a full or read-only one would: right after a segment filled up (the
    /// next group must create a file), a file stands where the journal's directory was.
    /// </summary>
    private async Task RefuseJournalAsync(string key)
    {
        while (Journal.Durable.Offset != 0)
        {
            await SendAsync(key, 1);
        }

        await Eventually.TrueAsync(() => Journal.Pending == 0);
        // Moved aside in one rename, not deleted file by file: the writer may note a release in it meanwhile.
        Directory.Move(JournalDirectory, JournalDirectory + ".aside");
        await File.WriteAllTextAsync(JournalDirectory, "not a directory");
    }

    private async Task<List<string>> SendAsync(string key, int count)
    {
        var ids = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, token) =>
        {
            using var request = GeminiRequests.Generate(key, model: "gemini-3-pro-image-preview");
            using var response = await _gateway.Client.SendAsync(request, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync(token);
            lock (ids)
            {
                ids.Add(GeminiRequests.RequestId(request));
            }
        });
        return ids;
    }
}

public sealed class SqliteUsageDurabilityTests() : UsageDurabilityTests(new UsageFixture());

public sealed class PostgresUsageDurabilityTests() : UsageDurabilityTests(new PostgresUsageFixture());
