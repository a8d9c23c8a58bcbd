using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>A gateway whose budget store cannot reserve.</summary>
public sealed class UnreachableBudgetStoreFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings) =>
        new(settings, services: services => services.AddSingleton<IBudgetStore, UnreachableBudgetStore>());
}
