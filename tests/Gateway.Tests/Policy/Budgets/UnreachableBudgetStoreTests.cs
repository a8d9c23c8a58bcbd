using System.Net;
using System.Net.Http.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy.Budgets;

public sealed class UnreachableBudgetStoreTests(UnreachableBudgetStoreFixture gateway) : IClassFixture<UnreachableBudgetStoreFixture>
{
    [Fact]
    public async Task A_budgeted_request_the_store_cannot_check_is_a_503_and_never_forwarded()
    {
        var key = await gateway.CreateKeyAsync("unchecked-" + Guid.NewGuid().ToString("N")[..6]);
        using (var admin = gateway.AdminClient())
        using (var patched = await admin.PatchAsJsonAsync($"/admin/keys/{key.Id}", new { monthlyBudgetUsd = 10m }))
        {
            patched.EnsureSuccessStatusCode();
        }

        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);
        var unbudgeted = await gateway.CreateKeyAsync("unbudgeted-" + Guid.NewGuid().ToString("N")[..6]);
        using var other = await gateway.Client.SendAsync(GeminiRequests.Generate(unbudgeted.Key));

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Contains("budget", message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode); // a key without a budget does not ask the store
    }
}
