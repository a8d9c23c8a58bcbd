using System.Net;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Fake;
using Routescope.Gateway.Inspection.Buffering;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// Bodies beyond <c>Limits:MemoryBufferBytes</c> spill to <c>Limits:TempDirectory</c>, all of them together bounded by
/// <c>Limits:MaxTempBytes</c>: a body that alone exceeds it gets 413, one that would pass it beside the others in
/// flight a retryable 503, a temp directory that refuses the write (ENOSPC) a 503 too; the host serves on.
/// </summary>
public sealed class TempSpaceTests : IAsyncLifetime
{
    private const long MaxTempBytes = 3 * 1024 * 1024;

    private readonly string _tempDirectory = Directory.CreateTempSubdirectory("rsg-temp-space-").FullName;
    private TempFixture _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = new TempFixture(_tempDirectory, MaxTempBytes);
        await _gateway.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_tempDirectory, recursive: true);
    }

    [Fact]
    public async Task A_body_larger_than_the_whole_temp_space_gets_413()
    {
        var key = await _gateway.CreateKeyAsync("huge");
        using var request = Edit(key.Key, imageBytes: 3 * 1024 * 1024);
        using var response = await _gateway.Client.SendAsync(request);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "INVALID_ARGUMENT");
        Assert.Contains("temp space", message, StringComparison.Ordinal);
        Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task Bodies_beyond_the_free_temp_space_get_a_retryable_503_until_the_space_is_released()
    {
        var key = await _gateway.CreateKeyAsync("burst");
        var space = _gateway.Factory.Services.GetRequiredService<TempSpace>();
        // About 2 MiB of JSON each: one fits in the 3 MiB, two do not.
        using var first = Edit(key.Key, imageBytes: 1536 * 1024);
        first.Headers.Add(FakeHeaders.DelayMs, "3000");
        var inFlight = _gateway.Client.SendAsync(first);
        await Eventually.TrueAsync(() => _gateway.UpstreamReceived(GeminiRequests.RequestId(first)).Count == 1, TimeSpan.FromSeconds(20));
        // The body is spilled (it holds temp space) but its file is unlinked at once: nothing a kill -9 could leave behind.
        Assert.Empty(Directory.GetFiles(_tempDirectory, "rsg-body-*"));
        var held = space.InUse;

        using (var second = Edit(key.Key, imageBytes: 1536 * 1024))
        using (var refused = await _gateway.Client.SendAsync(second))
        {
            await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(second)));
        }

        using (var answered = await inFlight)
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        await Eventually.TrueAsync(() => space.InUse == 0);
        using (var retried = Edit(key.Key, imageBytes: 1536 * 1024))
        using (var response = await _gateway.Client.SendAsync(retried))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.InRange(held, 2 * 1024 * 1024, MaxTempBytes);
        await Eventually.TrueAsync(() => space.InUse == 0 && Directory.GetFiles(_tempDirectory, "rsg-body-*").Length == 0);
    }

    [Fact]
    public async Task A_temp_directory_that_refuses_the_write_answers_503_and_the_gateway_serves_on()
    {
        await using var disk = await TmpfsMount.MountAsync(2);
        var full = new TempFixture(disk.Path, 512L * 1024 * 1024);
        await full.InitializeAsync();
        try
        {
            await RefusedAndServedOnAsync(full, disk.Path);
        }
        finally
        {
            await full.DisposeAsync();
        }
    }

    private static async Task RefusedAndServedOnAsync(TempFixture full, string tempDirectory)
    {
        var key = await full.CreateKeyAsync("enospc");

        using (var request = Edit(key.Key, imageBytes: 3 * 1024 * 1024))
        using (var response = await full.Client.SendAsync(request))
        {
            await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.NotNull(response.Headers.RetryAfter);
        }

        using (var small = GeminiRequests.Generate(key.Key))
        using (var response = await full.Client.SendAsync(small))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, full.Factory.Services.GetRequiredService<TempSpace>().InUse);
        Assert.Empty(Directory.GetFiles(tempDirectory, "rsg-body-*"));
        Assert.Contains(full.Logs.Lines, line => line.Contains("\"Id\":10121", StringComparison.Ordinal));
        Assert.DoesNotContain(full.Logs.Lines, line => line.Contains("\"Id\":1001", StringComparison.Ordinal));
    }

    /// <summary>An edit whose inline image makes the body about 4/3 of <paramref name="imageBytes"/>.</summary>
    private static HttpRequestMessage Edit(string key, int imageBytes) =>
        GeminiRequests.Generate(key, body: RequestBodies.Generate(images: new RequestBodies.Image("image/png", RequestBodies.WithSignature(RequestBodies.Png, imageBytes))));

    private sealed class TempFixture(string tempDirectory, long maxTempBytes) : GatewayFixture
    {
        protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
        {
            settings["Limits:MemoryBufferBytes"] = "65536";
            settings["Limits:TempDirectory"] = tempDirectory;
            settings["Limits:MaxTempBytes"] = maxTempBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new GatewayFactory(settings);
        }
    }
}
