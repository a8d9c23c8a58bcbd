namespace Routescope.Gateway.Policy.Budgets;

/// <summary>
/// Month spend and reservations per key, in the shared store, so that every replica sees one budget: implemented per
/// provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>. Reservations settle when the request's usage record is
/// written: the usage store adds the record's cost to the month and deletes its reservation in the same transaction.
/// </summary>
internal interface IBudgetStore
{
    /// <summary>
    /// Reserves <see cref="BudgetClaim.Amount"/> unless the month's spend, its live reservations and the amount together
    /// exceed the budget; one atomic step however many replicas ask at once. Expired reservations do not count.
    /// </summary>
    Task<BudgetDecision> ReserveAsync(BudgetClaim claim, CancellationToken cancellationToken);

    /// <summary>The key's spend and live reservations in a month.</summary>
    Task<BudgetSpend> SpendAsync(string keyId, string month, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The month spend and live reservations of every key of a group, summed.</summary>
    Task<BudgetSpend> GroupSpendAsync(string group, string month, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="GroupSpendAsync"/> for every group at once, in one query (the group list would otherwise ask once per
    /// group): by group name, only groups whose keys spent or reserved something in the month.
    /// </summary>
    Task<IReadOnlyDictionary<string, BudgetSpend>> GroupSpendsAsync(string month, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Notes that a notice of <paramref name="kind"/> went out for the key and month; false when one had already (on any replica).</summary>
    Task<bool> TryNoteNoticeAsync(string keyId, string month, string kind, DateTimeOffset now, CancellationToken cancellationToken);
}
