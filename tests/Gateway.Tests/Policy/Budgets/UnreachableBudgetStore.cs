using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>A budget store whose reservations fail as a store that went away does; reads answer (so the admin API works).</summary>
internal sealed class UnreachableBudgetStore : IBudgetStore
{
    public Task<BudgetDecision> ReserveAsync(BudgetClaim claim, CancellationToken cancellationToken) =>
        Task.FromException<BudgetDecision>(new TimeoutException("the store did not answer"));

    public Task<BudgetSpend> SpendAsync(string keyId, string month, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(new BudgetSpend(0m, 0m));

    public Task<BudgetSpend> GroupSpendAsync(string group, string month, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(new BudgetSpend(0m, 0m));

    public Task<IReadOnlyDictionary<string, BudgetSpend>> GroupSpendsAsync(string month, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, BudgetSpend>>(new Dictionary<string, BudgetSpend>());

    public Task<bool> TryNoteNoticeAsync(string keyId, string month, string kind, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(false);
}
