using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Policy;
using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Tests.Policy.Budgets;

public sealed class BudgetOptionsTests
{
    [Fact]
    public void A_reservation_lasts_fifteen_minutes_and_no_webhook_is_set_by_default()
    {
        var options = Bind([]);

        Assert.Equal((TimeSpan.FromMinutes(15), (Uri?)null), (options.ReservationLifetime, options.WebhookUrl));
    }

    [Theory]
    [InlineData("00:10:00", null)]                  // the default route timeout: a request could outlive its claim
    [InlineData("00:20:00", "00:30:00")]            // a route configured longer
    [InlineData("00:00:00", null)]
    public void A_reservation_must_outlive_the_longest_route_timeout(string lifetime, string? routeTimeout)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Budgets:ReservationLifetime"] = lifetime,
            ["ReverseProxy:Routes:gemini:Timeout"] = routeTimeout,
        }));

        Assert.Contains("Budgets:ReservationLifetime", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_must_be_an_http_url()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Budgets:WebhookUrl"] = "file:///etc/passwd" }));

        Assert.Contains("Budgets:WebhookUrl", exception.Message, StringComparison.Ordinal);
    }

    private static BudgetOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddGatewayPolicy(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<BudgetOptions>>().Value;
    }
}
