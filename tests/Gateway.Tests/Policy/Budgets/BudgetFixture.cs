using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>A gateway whose budget notices go to a loopback webhook receiver.</summary>
public sealed class BudgetFixture : GatewayFixture
{
    public WebhookReceiver Webhook { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Webhook = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Webhook.DisposeAsync();
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Budgets:WebhookUrl"] = Webhook.Address.ToString();
        return base.CreateFactory(settings);
    }
}
