using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Audit;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Hosting;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Storage;

/// <summary>The behaviour every store must have; SQLite and PostgreSQL run this same suite.</summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private protected static readonly DateTimeOffset Day = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    internal IKeyStore Keys { get; set; } = null!;
    internal IUsageStore Usage { get; set; } = null!;
    internal IStoreMigrator Migrator { get; set; } = null!;
    internal IBudgetStore Budgets { get; set; } = null!;
    internal IAuditStore Audit { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        var key = new GatewayKey { Id = "key_kept", Name = "kept", Group = "g", Prefix = "rsg_keptkept", CreatedAt = Day };
        await Keys.InsertAsync(key, "hash-kept", StoreAudit.Entry, CancellationToken.None);
        var record = Record("kept", "k1", "gemini-2.5-flash-image", Day.AddHours(1), 0.5m);
        await Usage.WriteAsync([record], CancellationToken.None);

        await Migrator.MigrateAsync(CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator.MigrateAsync(CancellationToken.None)));

        // Each version applied exactly once, and nothing stored before was touched.
        var versions = await AppliedVersionsAsync();
        Assert.Equal(versions.Distinct().Order(), versions);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], versions);
        Assert.Equal(key, await Keys.FindByHashAsync("hash-kept", CancellationToken.None));
        var kept = Assert.Single(await ReadAsync());
        Assert.Equal(record with { RecordedAt = kept.RecordedAt, BilledAt = record.EndedAt }, kept);
    }

    [Fact]
    public async Task Each_key_change_keeps_its_audit_entry_read_back_newest_first_by_key_time_and_page()
    {
        var actor = new AuditActor("admin:ops", "10.0.0.7");
        var key = new GatewayKey { Id = "key_aud", Name = "audited", Group = "design", Prefix = "rsg_audaudau", CreatedAt = Day };
        var created = AuditEntry.Of(actor, AuditActions.KeyCreated, Day.AddTicks(1234567)) with
        {
            KeyId = key.Id,
            KeyName = key.Name,
            Group = key.Group,
            Changes = [new AuditChange("rpm", null, "60")],
        };
        await Keys.InsertAsync(key, "hash-aud", created, CancellationToken.None);
        await Keys.UpdatePolicyAsync(key.Id, new KeyPolicy { Rpm = 120 }, created with { Action = AuditActions.KeyPolicyChanged, At = Day.AddHours(1), Changes = [new AuditChange("rpm", "60", "120")] }, CancellationToken.None);
        await Keys.PutGroupAsync(new KeyGroup { Name = "design", UpdatedAt = Day.AddHours(2) }, AuditEntry.Of(actor, AuditActions.GroupPut, Day.AddHours(2)) with { Group = "design" }, CancellationToken.None);
        await Keys.RevokeAsync(key.Id, Day.AddHours(3), created with { Action = AuditActions.KeyRevoked, At = Day.AddHours(3), Changes = [] }, CancellationToken.None);

        var all = await Audit.ReadAsync(new AuditQuery(), CancellationToken.None);
        var forKey = await Audit.ReadAsync(new AuditQuery { KeyId = key.Id }, CancellationToken.None);
        var window = await Audit.ReadAsync(new AuditQuery { From = Day.AddHours(1), To = Day.AddHours(3) }, CancellationToken.None);
        var first = await Audit.ReadAsync(new AuditQuery { Limit = 3 }, CancellationToken.None);
        var rest = await Audit.ReadAsync(new AuditQuery { Limit = 3, Before = first[^1].Id }, CancellationToken.None);

        Assert.Equal([AuditActions.KeyRevoked, AuditActions.GroupPut, AuditActions.KeyPolicyChanged, AuditActions.KeyCreated], all.Select(e => e.Action));
        Assert.Equal(all.Select(e => e.Id).OrderDescending(), all.Select(e => e.Id));
        Assert.Equal(created with { Id = all[^1].Id, Changes = all[^1].Changes }, all[^1]);
        Assert.Equal(created.Changes, all[^1].Changes);
        Assert.Equal(Day.AddTicks(1234560), all[^1].At);
        Assert.Equal([AuditActions.KeyRevoked, AuditActions.KeyPolicyChanged, AuditActions.KeyCreated], forKey.Select(e => e.Action));
        Assert.Equal([AuditActions.GroupPut, AuditActions.KeyPolicyChanged], window.Select(e => e.Action));
        Assert.Equal(new AuditChange("rpm", "60", "120"), Assert.Single(window[1].Changes));
        Assert.Equal(3, first.Count);
        Assert.Equal([AuditActions.KeyCreated], rest.Select(e => e.Action));
    }

    [Fact]
    public async Task A_change_that_finds_no_key_keeps_no_audit_entry()
    {
        Assert.Null(await Keys.UpdatePolicyAsync("key_nobody", new KeyPolicy { Rpm = 1 }, StoreAudit.Entry, CancellationToken.None));
        Assert.Null(await Keys.RevokeAsync("key_nobody", Day, StoreAudit.Entry, CancellationToken.None));

        Assert.Empty(await Audit.ReadAsync(new AuditQuery(), CancellationToken.None));
    }

    /// <summary>The versions in the store's schema_version table, in the order the table lists them.</summary>
    internal abstract Task<IReadOnlyList<int>> AppliedVersionsAsync();

    [Fact]
    public async Task Keys_are_found_by_hash_listed_and_revoked_once()
    {
        var key = new GatewayKey { Id = "key_1", Name = "team-a", Group = "g", Prefix = "rsg_abcdefgh", CreatedAt = Day, ExpiresAt = Day.AddDays(30) };
        await Keys.InsertAsync(key, "hash-1", StoreAudit.Entry, CancellationToken.None);

        Assert.Equal(key, await Keys.FindByHashAsync("hash-1", CancellationToken.None));
        Assert.Null(await Keys.FindByHashAsync("hash-2", CancellationToken.None));
        Assert.Equal([key], await Keys.ListAsync(CancellationToken.None));
        Assert.Equal("hash-1", await Keys.RevokeAsync("key_1", Day.AddDays(1), StoreAudit.Entry, CancellationToken.None));
        Assert.Equal("hash-1", await Keys.RevokeAsync("key_1", Day.AddDays(2), StoreAudit.Entry, CancellationToken.None));
        Assert.Equal(Day.AddDays(1), (await Keys.FindByHashAsync("hash-1", CancellationToken.None))!.RevokedAt);
        Assert.Null(await Keys.RevokeAsync("key_unknown", Day, StoreAudit.Entry, CancellationToken.None));
    }

    [Fact]
    public async Task Key_policies_round_trip_and_an_update_replaces_the_policy_and_expiry()
    {
        var policy = new KeyPolicy
        {
            AllowedModels = ["gemini-2.5-*", "gemini-3-pro-image-preview"],
            Rpm = 60,
            Concurrency = 4,
            MonthlyBudgetUsd = 100.0000001m,
            SoftBudgetRatio = 0.75m,
            Disabled = false,
        };
        var key = new GatewayKey { Id = "key_pol", Name = "batch", Group = "g", Prefix = "rsg_polpolpo", CreatedAt = Day, ExpiresAt = Day.AddDays(30), Policy = policy };
        var plain = new GatewayKey { Id = "key_plain", Name = "plain", Group = "g", Prefix = "rsg_plainpla", CreatedAt = Day.AddSeconds(1) };
        await Keys.InsertAsync(key, "hash-pol", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(plain, "hash-plain", StoreAudit.Entry, CancellationToken.None);

        Assert.Equal(key, await Keys.FindByHashAsync("hash-pol", CancellationToken.None));
        Assert.Equal(key, await Keys.FindByIdAsync("key_pol", CancellationToken.None));
        Assert.Equal(KeyPolicy.None, (await Keys.FindByIdAsync("key_plain", CancellationToken.None))!.Policy);
        Assert.Equal([key, plain], await Keys.ListAsync(CancellationToken.None));
        Assert.Null(await Keys.FindByIdAsync("key_unknown", CancellationToken.None));

        // The expiry travels in the policy handed over and lands in the key's own column.
        var changed = policy with { Rpm = null, AllowedModels = null, ExpiresAt = Day.AddDays(60) };
        Assert.Equal("hash-pol", await Keys.UpdatePolicyAsync("key_pol", changed, StoreAudit.Entry, CancellationToken.None));
        var updated = await Keys.FindByHashAsync("hash-pol", CancellationToken.None);
        Assert.Equal(key with { ExpiresAt = Day.AddDays(60), Policy = changed with { ExpiresAt = null } }, updated);
        Assert.Equal(changed, updated!.OwnPolicy);

        Assert.Equal("hash-pol", await Keys.UpdatePolicyAsync("key_pol", KeyPolicy.None, StoreAudit.Entry, CancellationToken.None));
        Assert.Equal(key with { ExpiresAt = null, Policy = KeyPolicy.None }, await Keys.FindByIdAsync("key_pol", CancellationToken.None));
        Assert.Null(await Keys.UpdatePolicyAsync("key_unknown", policy, StoreAudit.Entry, CancellationToken.None));
    }

    [Fact]
    public async Task Groups_are_the_ones_put_and_the_ones_keys_name_listed_by_name()
    {
        foreach (var (id, group) in new[] { ("key_g1", "design"), ("key_g2", "design"), ("key_g3", "Zeta"), ("key_g4", "alpha") })
        {
            await Keys.InsertAsync(new GatewayKey { Id = id, Name = id, Group = group, Prefix = "rsg_" + id, CreatedAt = Day }, "hash-" + id, StoreAudit.Entry, CancellationToken.None);
        }

        Assert.Equal(new KeyGroup { Name = "design" }, await Keys.FindGroupAsync("design", CancellationToken.None));
        Assert.Null(await Keys.FindGroupAsync("nobody", CancellationToken.None));
        Assert.Null(await Keys.FindGroupAsync("Design", CancellationToken.None));

        var batch = new KeyGroup { Name = "batch", Policy = new KeyPolicy { Rpm = 30, MonthlyBudgetUsd = 10m, ExpiresAt = Day.AddDays(90) }, UpdatedAt = Day };
        await Keys.PutGroupAsync(batch, StoreAudit.Entry, CancellationToken.None);
        Assert.Equal(batch, await Keys.FindGroupAsync("batch", CancellationToken.None));

        // A put replaces the whole policy; a group keys name gets a row of its own, and is still listed once.
        var replaced = new KeyGroup { Name = "batch", Policy = new KeyPolicy { Concurrency = 2 }, UpdatedAt = Day.AddHours(1) };
        await Keys.PutGroupAsync(replaced, StoreAudit.Entry, CancellationToken.None);
        var design = new KeyGroup { Name = "design", Policy = new KeyPolicy { AllowedModels = ["gemini-2.5-*"] }, UpdatedAt = Day.AddHours(2) };
        await Keys.PutGroupAsync(design, StoreAudit.Entry, CancellationToken.None);
        var empty = new KeyGroup { Name = "empty", UpdatedAt = Day.AddHours(3) };
        await Keys.PutGroupAsync(empty, StoreAudit.Entry, CancellationToken.None);

        Assert.Equal(replaced, await Keys.FindGroupAsync("batch", CancellationToken.None));
        Assert.Equal(design, await Keys.FindGroupAsync("design", CancellationToken.None));
        Assert.Equal(
            [new KeyGroup { Name = "Zeta" }, new KeyGroup { Name = "alpha" }, replaced, design, empty],
            await Keys.ListGroupsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Keys.PutGroupAsync(new KeyGroup { Name = "no-time" }, StoreAudit.Entry, CancellationToken.None));
    }

    [Fact]
    public async Task Usage_writes_are_idempotent_and_read_back_exactly()
    {
        var record = Record("r1", "k1", "gemini-2.5-flash-image", Day.AddHours(1), 0.0387436123456789m);
        await Usage.WriteAsync([record], CancellationToken.None);
        await Usage.WriteAsync([record, record with { RequestId = "r2", RecordId = "rec-r2" }], CancellationToken.None);

        var all = await ReadAsync();

        Assert.Equal(["r1", "r2"], all.Select(r => r.RequestId));
        // The store adds when it kept the record and when it bills it (its end: no month is closed here).
        Assert.NotNull(all[0].RecordedAt);
        Assert.Equal(record with { RecordedAt = all[0].RecordedAt, BilledAt = record.EndedAt }, all[0]);
    }

    [Fact]
    public async Task Records_sharing_a_client_request_id_are_kept_apart_by_their_record_id()
    {
        var first = Record("same", "k1", "gemini-2.5-flash-image", Day.AddHours(2), 0.01m);
        var second = first with { RecordId = "rec-other", StartedAt = first.StartedAt.AddSeconds(1), EndedAt = first.EndedAt.AddSeconds(1) };
        await Usage.WriteAsync([first, second], CancellationToken.None);
        await Usage.WriteAsync([second], CancellationToken.None);

        var all = await ReadAsync();

        Assert.Equal([first.RecordId, "rec-other"], all.Where(r => r.RequestId == "same").Select(r => r.RecordId));
    }

    [Fact]
    public async Task Reads_are_ordered_by_billing_time_bounded_by_the_range_and_group_exactly()
    {
        await Usage.WriteAsync(
        [
            Record("a", "k2", "m1", Day.AddHours(3), 1m),
            Record("b", "k1", "m2", Day.AddHours(2), 2m),
            Record("c", "k1", "m1", Day.AddDays(1).AddHours(1), 3m),
            Record("d", "k1", "m1", Day.AddHours(5), 4m),
            Record("e", "k1", "m1", Day.AddDays(-1), 5m),
            Record("f", "k1", "m1", Day.AddDays(2), 6m),
        ], CancellationToken.None);

        Assert.Equal(["b", "a", "d", "c"], (await ReadAsync()).Select(r => r.RequestId));

        var groups = new List<UsageAggregate>();
        var grouping = UsageGrouping.Key | UsageGrouping.Model | UsageGrouping.Day;
        await foreach (var group in UsageAggregator.AggregateAsync(Usage.ReadAsync(Day, Day.AddDays(2), CancellationToken.None), grouping, Day, Day.AddDays(2)))
        {
            groups.Add(group);
        }

        Assert.Equal([("k1", "m1", "2026-11-03", 4m), ("k1", "m1", "2026-11-04", 3m), ("k1", "m2", "2026-11-03", 2m), ("k2", "m1", "2026-11-03", 1m)],
            groups.Select(g => (g.KeyId!, g.Model!, g.Day!, g.ChargebackCost)));
    }

    [Fact]
    public async Task A_large_batch_goes_in_whole()
    {
        var records = Enumerable.Range(0, 5000).Select(i => Record("bulk-" + i, "k", "m", Day.AddSeconds(i), i / 1000m)).ToArray();
        await Usage.WriteAsync(records, CancellationToken.None);

        var all = await ReadAsync();

        Assert.Equal(5000, all.Count);
        Assert.Equal(records.Sum(r => r.ChargebackCost), all.Sum(r => r.ChargebackCost));
    }

    private async Task<List<UsageRecord>> ReadAsync()
    {
        var records = new List<UsageRecord>();
        await foreach (var record in Usage.ReadAsync(Day, Day.AddDays(2), CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task A_reservation_is_granted_while_spend_reservations_and_amount_fit_the_budget()
    {
        await Usage.WriteAsync([Record("spent", "k-budget", "m", Day.AddHours(1), 6m)], CancellationToken.None);

        var first = await Budgets.ReserveAsync(Claim("res-1", "k-budget", 3m, 10m, Day.AddHours(2)), CancellationToken.None);
        var second = await Budgets.ReserveAsync(Claim("res-2", "k-budget", 1.5m, 10m, Day.AddHours(2)), CancellationToken.None);
        var exact = await Budgets.ReserveAsync(Claim("res-3", "k-budget", 1m, 10m, Day.AddHours(2)), CancellationToken.None);

        Assert.Equal(new BudgetDecision(true, 6m, 0m), first);
        Assert.Equal(new BudgetDecision(false, 6m, 3m), second);
        Assert.Equal(new BudgetDecision(true, 6m, 3m), exact); // 6 + 3 + 1 = 10: a budget may be used to the cent
        Assert.Equal(new BudgetSpend(6m, 4m), await Budgets.SpendAsync("k-budget", "2026-11", Day.AddHours(2), CancellationToken.None));
        Assert.Equal(new BudgetSpend(0m, 0m), await Budgets.SpendAsync("k-budget", "2026-12", Day.AddHours(2), CancellationToken.None));
    }

    [Fact]
    public async Task Writing_a_record_settles_its_reservation_to_its_cost_once()
    {
        await Budgets.ReserveAsync(Claim("res-settle", "k-settle", 0.63m, 10m, Day.AddHours(1)), CancellationToken.None);
        var record = Record("settle", "k-settle", "m", Day.AddHours(1), 0.0387436123456789m) with { ReservationId = "res-settle" };
        var unpriced = Record("unpriced", "k-settle", "m", Day.AddHours(1), 0m) with { ChargebackCost = null };

        await Usage.WriteAsync([record, unpriced], CancellationToken.None);
        await Usage.WriteAsync([record], CancellationToken.None); // a replay after a crash: kept once, counted once

        Assert.Equal(new BudgetSpend(0.0387436123456789m, 0m), await Budgets.SpendAsync("k-settle", "2026-11", Day.AddHours(1), CancellationToken.None));
        Assert.Equal("res-settle", (await ReadAsync()).Single(r => r.RecordId == "rec-settle").ReservationId);
    }

    [Fact]
    public async Task A_reservation_no_record_settles_stops_counting_when_it_expires()
    {
        var claim = Claim("res-lost", "k-lost", 8m, 10m, Day.AddHours(1));
        await Budgets.ReserveAsync(claim, CancellationToken.None);

        var during = await Budgets.ReserveAsync(Claim("res-during", "k-lost", 8m, 10m, claim.ExpiresAt.AddSeconds(-1)), CancellationToken.None);
        var after = await Budgets.ReserveAsync(Claim("res-after", "k-lost", 8m, 10m, claim.ExpiresAt), CancellationToken.None);

        Assert.False(during.Granted);
        Assert.Equal(new BudgetDecision(true, 0m, 0m), after);
    }

    [Fact]
    public async Task Concurrent_reservations_never_grant_more_than_the_budget()
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => Budgets.ReserveAsync(Claim("res-race-" + i, "k-race", 0.25m, 2.6m, Day.AddHours(1)), CancellationToken.None))));

        Assert.Equal(10, decisions.Count(decision => decision.Granted));
        Assert.Equal(new BudgetSpend(0m, 2.5m), await Budgets.SpendAsync("k-race", "2026-11", Day.AddHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_groups_spend_sums_its_keys_months()
    {
        await Keys.InsertAsync(new GatewayKey { Id = "k-g1", Name = "g1", Group = "spenders", Prefix = "rsg_g1g1g1g1", CreatedAt = Day }, "hash-g1", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(new GatewayKey { Id = "k-g2", Name = "g2", Group = "spenders", Prefix = "rsg_g2g2g2g2", CreatedAt = Day }, "hash-g2", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(new GatewayKey { Id = "k-other", Name = "o", Group = "others", Prefix = "rsg_oooooooo", CreatedAt = Day }, "hash-o", StoreAudit.Entry, CancellationToken.None);
        await Usage.WriteAsync(
            [Record("g1", "k-g1", "m", Day.AddHours(1), 0.1m), Record("g2", "k-g2", "m", Day.AddHours(1), 0.02m), Record("o", "k-other", "m", Day.AddHours(1), 5m),
             Record("g1-later", "k-g1", "m", Day.AddDays(30), 7m)],
            CancellationToken.None);
        await Budgets.ReserveAsync(Claim("res-g2", "k-g2", 0.003m, 10m, Day.AddHours(2)), CancellationToken.None);

        Assert.Equal(new BudgetSpend(0.12m, 0.003m), await Budgets.GroupSpendAsync("spenders", "2026-11", Day.AddHours(2), CancellationToken.None));
    }

    [Fact]
    public async Task Every_groups_spend_comes_in_one_read_summed_per_group()
    {
        await Keys.InsertAsync(new GatewayKey { Id = "k-a1", Name = "a1", Group = "alpha", Prefix = "rsg_a1a1a1a1", CreatedAt = Day }, "hash-a1", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(new GatewayKey { Id = "k-a2", Name = "a2", Group = "alpha", Prefix = "rsg_a2a2a2a2", CreatedAt = Day }, "hash-a2", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(new GatewayKey { Id = "k-b1", Name = "b1", Group = "beta", Prefix = "rsg_b1b1b1b1", CreatedAt = Day }, "hash-b1", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(new GatewayKey { Id = "k-idle", Name = "idle", Group = "idle", Prefix = "rsg_idleidle", CreatedAt = Day }, "hash-idle", StoreAudit.Entry, CancellationToken.None);
        await Usage.WriteAsync(
            [Record("a1", "k-a1", "m", Day.AddHours(1), 0.1m), Record("a2", "k-a2", "m", Day.AddHours(1), 0.0000001m), Record("a1-later", "k-a1", "m", Day.AddDays(30), 7m)],
            CancellationToken.None);
        await Budgets.ReserveAsync(Claim("res-b1", "k-b1", 0.003m, 10m, Day.AddHours(2)), CancellationToken.None);
        await Budgets.ReserveAsync(Claim("res-a2-gone", "k-a2", 1m, 10m, Day.AddHours(-1)), CancellationToken.None);

        var spends = await Budgets.GroupSpendsAsync("2026-11", Day.AddHours(2), CancellationToken.None);

        // Exact decimals; a reservation that expired no longer counts; a group that spent nothing is not listed.
        Assert.Equal(new BudgetSpend(0.1000001m, 0m), spends["alpha"]);
        Assert.Equal(new BudgetSpend(0m, 0.003m), spends["beta"]);
        Assert.False(spends.ContainsKey("idle"));
    }

    [Fact]
    public async Task A_policy_column_that_is_not_a_policy_reads_as_unreadable_and_the_lists_still_answer()
    {
        var damaged = new GatewayKey { Id = "k-dmg", Name = "dmg", Group = "dmg-group", Prefix = "rsg_dmgdmgdm", CreatedAt = Day };
        var healthy = new GatewayKey { Id = "k-ok", Name = "ok", Group = "dmg-group", Prefix = "rsg_okokokok", CreatedAt = Day.AddSeconds(1), Policy = new KeyPolicy { Rpm = 5 } };
        await Keys.InsertAsync(damaged, "hash-dmg", StoreAudit.Entry, CancellationToken.None);
        await Keys.InsertAsync(healthy, "hash-ok", StoreAudit.Entry, CancellationToken.None);
        await Keys.PutGroupAsync(new KeyGroup { Name = "dmg-group", Policy = new KeyPolicy { Rpm = 9 }, UpdatedAt = Day }, StoreAudit.Entry, CancellationToken.None);
        await ExecuteAsync("UPDATE gateway_keys SET policy = '{\"rpm\":' WHERE id = 'k-dmg'");
        await ExecuteAsync("UPDATE key_groups SET policy = '[1,2]' WHERE name = 'dmg-group'");

        var listed = await Keys.ListAsync(CancellationToken.None);
        var groups = await Keys.ListGroupsAsync(CancellationToken.None);

        Assert.True(listed.Single(k => k.Id == "k-dmg").Policy.Unreadable);
        Assert.Equal(healthy, listed.Single(k => k.Id == "k-ok"));
        Assert.True((await Keys.FindByHashAsync("hash-dmg", CancellationToken.None))!.Policy.Unreadable);
        Assert.True(groups.Single(g => g.Name == "dmg-group").Policy.Unreadable);
        Assert.True((await Keys.FindGroupAsync("dmg-group", CancellationToken.None))!.Policy.Unreadable);
    }

    /// <summary>Runs a statement on the store as an operator's manual edit would.</summary>
    internal abstract Task ExecuteAsync(string sql);

    [Fact]
    public async Task A_notice_is_noted_once_per_key_month_and_kind()
    {
        Assert.True(await Budgets.TryNoteNoticeAsync("k-note", "2026-11", BudgetNoticeKinds.Soft, Day, CancellationToken.None));
        Assert.False(await Budgets.TryNoteNoticeAsync("k-note", "2026-11", BudgetNoticeKinds.Soft, Day.AddHours(1), CancellationToken.None));
        Assert.True(await Budgets.TryNoteNoticeAsync("k-note", "2026-11", BudgetNoticeKinds.Hard, Day, CancellationToken.None));
        Assert.True(await Budgets.TryNoteNoticeAsync("k-note", "2026-12", BudgetNoticeKinds.Soft, Day.AddDays(30), CancellationToken.None));
    }

    private protected static BudgetClaim Claim(string id, string key, decimal amount, decimal budget, DateTimeOffset now) =>
        new(id, key, BudgetMonth.Of(now), amount, budget, now, now.AddMinutes(15));

    internal static UsageRecord Record(string id, string key, string model, DateTimeOffset at, decimal cost) => new()
    {
        RequestId = id,
        RecordId = "rec-" + id,
        StartedAt = at,
        EndedAt = at.AddMilliseconds(1234.5),
        KeyId = key,
        KeyPrefix = "rsg_" + key,
        KeyName = "name-" + key,
        KeyGroup = "group",
        Operation = "generateContent",
        RequestedModel = model,
        ServedModel = model,
        FallbackChain = string.Empty,
        Channel = "routescope",
        HttpStatus = 200,
        UpstreamStatus = 200,
        Outcome = UsageOutcome.Complete,
        PromptTokens = 12,
        CandidatesTokens = 1298,
        ThoughtsTokens = 3,
        CachedContentTokens = 1,
        ToolUsePromptTokens = 2,
        TotalTokens = 1313,
        OutputTextTokens = 8,
        OutputImageTokens = 1290,
        ModalityDetails = "prompt:TEXT=12;candidates:IMAGE=1290",
        Images = 1,
        FinishReasons = "STOP",
        ModelVersion = model,
        ResponseId = "resp-" + id,
        AspectRatio = "16:9",
        LatencyMs = 1234.5,
        TimeToFirstByteMs = 1000.25,
        BytesIn = 300,
        BytesOut = 20_000_000,
        InputPerMillion = 0.30m,
        OutputTextPerMillion = 2.50m,
        OutputImagePerMillion = 30m,
        PerImagePrice = 0.001m,
        ChannelRatio = 1.1m,
        GroupRatio = 0.8m,
        UpstreamCost = cost / 0.8m,
        ChargebackCost = cost,
        Currency = "USD",
    };
}

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rsg-store-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Options.Create(new StoreOptions()), Options.Create(new DataDirectoryOptions { Path = _directory }));
        Migrator = new SqliteMigrator(_database, TimeProvider.System, NullLogger<SqliteMigrator>.Instance);
        await Migrator.MigrateAsync(CancellationToken.None);
        Keys = new SqliteKeyStore(_database);
        Audit = new SqliteAuditStore(_database);
        Usage = new SqliteUsageStore(_database, TimeProvider.System);
        Budgets = new SqliteBudgetStore(_database);
    }

    [Fact]
    public async Task A_commit_is_on_disk_when_it_returns()
    {
        // The usage journal lets go of records once the store committed them: a commit that only reached the page
        // cache (WAL with synchronous=NORMAL) could lose them with the machine. FULL (2) or EXTRA (3) fsyncs each commit.
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";

        Assert.True(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public async Task A_reservation_hands_its_connection_back_fully_synced()
    {
        // Reservations commit with synchronous=NORMAL; the pooled connection the usage writer gets next must be FULL.
        await Budgets.ReserveAsync(Claim("res-sync", "k-sync", 1m, 10m, Day.AddHours(2)), CancellationToken.None);
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";

        Assert.Equal(2L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    internal override async Task<IReadOnlyList<int>> AppliedVersionsAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version";
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    internal override async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresStoreContractTests : StoreContractTests
{
    private string _connectionString = null!;
    private PostgresDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        _database = new PostgresDatabase(Options.Create(new StoreOptions { ConnectionString = _connectionString }));
        Migrator = new PostgresMigrator(_database, NullLogger<PostgresMigrator>.Instance);
        await Migrator.MigrateAsync(CancellationToken.None);
        Keys = new PostgresKeyStore(_database);
        Audit = new PostgresAuditStore(_database);
        Usage = new PostgresUsageStore(_database, TimeProvider.System);
        Budgets = new PostgresBudgetStore(_database);
    }

    internal override async Task<IReadOnlyList<int>> AppliedVersionsAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = new Npgsql.NpgsqlCommand("SELECT version FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    internal override async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }
}
