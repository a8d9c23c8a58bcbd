using System.Net;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Tests.Usage;

/// <summary><c>Usage:Durability=BestEffort</c>: a disk that refuses the journal costs no request; records reach the store from memory.</summary>
public sealed class BestEffortDurabilityTests : IAsyncLifetime
{
    private readonly BestEffortUsageFixture _gateway = new();

    private string JournalDirectory => Path.Combine(_gateway.DataDirectory, "usage-journal");

    public Task InitializeAsync() => _gateway.InitializeAsync();

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task A_disk_that_refuses_the_journal_refuses_no_request_and_loses_no_record()
    {
        var key = await _gateway.CreateKeyAsync("best-effort");
        var journal = _gateway.Factory.Services.GetRequiredService<UsageJournal>();
        // Right after a segment filled up, so that the next group must create a file where there is no directory.
        while (journal.Durable.Offset != 0)
        {
            using var filler = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview");
            using var filled = await _gateway.Client.SendAsync(filler);
            await filled.Content.ReadAsByteArrayAsync();
        }

        await Eventually.TrueAsync(() => journal.Pending == 0);
        // Moved aside in one rename, not deleted file by file: the writer may note a release in it meanwhile.
        Directory.Move(JournalDirectory, JournalDirectory + ".aside");
        await File.WriteAllTextAsync(JournalDirectory, "not a directory");

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var request = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview");
            using var response = await _gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
            ids.Add(GeminiRequests.RequestId(request));
        }

        Assert.False(journal.Available);
        using (var ready = await _gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("refuses writes", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var records = await _gateway.RecordsAsync(ids);
        Assert.Equal(ids.Order(), records.Where(r => ids.Contains(r.RequestId)).Select(r => r.RequestId).Order());
        File.Delete(JournalDirectory);
    }

    private sealed class BestEffortUsageFixture : UsageFixture
    {
        protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
        {
            settings["Usage:Durability"] = "BestEffort";
            return base.CreateFactory(settings);
        }
    }
}
