using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>
/// The hostile-input corpus (issue 18): every case's bytes over a raw socket, then its status, its Gemini-style error,
/// nothing at the upstream's socket unless allowed, no secret in the answer or the logs, and the model still served.
/// </summary>
public sealed class HostileInputTests(HostileFixture gateway, ITestOutputHelper output) : IClassFixture<HostileFixture>
{
    private const string ValidBody = GeminiRequests.TextOnlyBody;

    private static readonly string[] ErrorKinds = ["gemini", "optional", "any"];

    private readonly Dictionary<string, double> _seconds = [];

    [Fact]
    public void The_corpus_covers_every_class_with_at_least_250_named_cases()
    {
        var cases = HostileCorpus.Load();

        Assert.True(cases.Count >= 250, $"only {cases.Count} cases");
        Assert.Empty(cases.GroupBy(c => c.ToString()).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(cases, c => Assert.True((c.Raw is null) != (c.Base64 is null), c + " needs exactly one of raw and base64"));
        Assert.All(cases, c => Assert.Contains(c.Error, ErrorKinds));
    }

    [Fact]
    public async Task Every_hostile_request_is_answered_cleanly_and_no_breaker_opens()
    {
        var cases = HostileCorpus.Load();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var key = await gateway.CreateKeyAsync("hostile");
        string[] secrets = [key.Key, key.Key[12..], GatewayFixture.UpstreamKey, GatewayFixture.AdminToken];
        var ids = new Dictionary<string, HostileCase>();
        var failures = new List<HostileFailure>();

        // Sequentially, so whatever reaches the upstream's socket during a case is that case's; slow ones together.
        foreach (var hostile in cases.Where(c => !c.IsSlow))
        {
            failures.AddRange(await RunAsync([hostile], key.Key, secrets, ids));
        }

        // Slow cases wait out Kestrel's timeouts side by side; each pending defect's apart, so its logs are its own.
        foreach (var slow in cases.Where(c => c.IsSlow).GroupBy(c => c.Defect))
        {
            failures.AddRange(await RunAsync([.. slow], key.Key, secrets, ids));
        }

        var leaks = gateway.Logs.Lines.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal))).ToArray();
        foreach (var hostile in ids.Where(pair => leaks.Any(line => line.Contains(pair.Key, StringComparison.Ordinal))).Select(pair => pair.Value))
        {
            var index = failures.FindIndex(f => f.Case == hostile);
            var failure = index < 0 ? new HostileFailure(hostile, -1, []) : failures[index];
            failure = failure with { Problems = [.. failure.Problems, "a secret is in the logs"] };
            if (index < 0)
            {
                failures.Add(failure);
            }
            else
            {
                failures[index] = failure;
            }
        }

        Assert.True(leaks.Length == 0 || failures.Count > 0, "a secret is in a log line of no case: " + leaks.FirstOrDefault());
        output.WriteLine($"ran in {clock.Elapsed.TotalSeconds:F1} s");
        Report(cases, failures);
    }

    private async Task<List<HostileFailure>> RunAsync(IReadOnlyList<HostileCase> batch, string key, IReadOnlyList<string> secrets, Dictionary<string, HostileCase> ids)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var mark = gateway.Tap.Mark();
        var logsBefore = gateway.Logs.Lines.Count;
        var runs = batch.Select(hostile =>
        {
            var id = "hostile-" + Guid.NewGuid().ToString("N");
            ids[id] = hostile;
            var values = new HostileValues(gateway.Factory.Address.Authority, key, id, GatewayFixture.AdminToken, GatewayFixture.UpstreamKey);
            return (Case: hostile, Id: id, Answer: RawExchange.SendAsync(gateway.Factory.Address, HostileCorpus.Expand(hostile, values), hostile));
        }).ToArray();
        await Task.WhenAll(runs.Select(run => run.Answer));
        var upstreamBytes = gateway.Tap.Since(mark);

        var failures = new List<HostileFailure>();
        foreach (var run in runs)
        {
            var answer = await run.Answer;
            var problems = HostileCheck.Answer(run.Case, answer, upstreamBytes, gateway.UpstreamReceived(run.Id).Count > 0, secrets);
            var served = await ValidRequestStatusAsync(run.Case.Model, key);
            if (served != 200)
            {
                problems.Add($"a valid request for {run.Case.Model} then got {served}");
                try
                {
                    // Let a wrongly opened breaker close again, so one case's failure is not every later case's.
                    await Eventually.TrueAsync(async () => await ValidRequestStatusAsync(run.Case.Model, key) == 200, HostileFixture.BreakerCooldown * 3);
                }
                catch (TimeoutException)
                {
                    problems.Add($"{run.Case.Model} stayed unserved");
                }
            }

            problems.AddRange(HostileCheck.AlarmingLogs(gateway.Logs.Lines.Skip(logsBefore)));
            if (problems.Count > 0)
            {
                failures.Add(new HostileFailure(run.Case, answer.Status, problems));
            }
        }

        foreach (var hostile in batch)
        {
            _seconds[hostile.Class] = _seconds.GetValueOrDefault(hostile.Class) + (System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds / batch.Count);
        }

        return failures;
    }

    private async Task<int> ValidRequestStatusAsync(string model, string key)
    {
        using var request = GeminiRequests.Generate(key, model, ValidBody, GeminiRequests.Credential.GoogApiKey);
        using var response = await gateway.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private void Report(IReadOnlyList<HostileCase> cases, List<HostileFailure> failures)
    {
        foreach (var group in cases.GroupBy(c => c.Class))
        {
            output.WriteLine($"{group.Key}: {group.Count()} cases, {group.Count(c => failures.Any(f => f.Case == c))} failing ({_seconds.GetValueOrDefault(group.Key):F1} s)");
        }

        var waiting = failures.Where(f => f.Case.Defect is not null).ToArray();
        var unexpected = failures.Where(f => f.Case.Defect is null).ToArray();
        var fixedAlready = cases.Where(c => c.Defect is not null && failures.All(f => f.Case != c)).ToArray();
        output.WriteLine($"hostile corpus: {cases.Count} cases in {cases.Select(c => c.Class).Distinct().Count()} classes; "
            + $"{cases.Count - failures.Count} pass, {unexpected.Length} fail unexpectedly, {waiting.Length} fail waiting for a defect's fix, "
            + $"{fixedAlready.Length} marked with a defect already pass");
        foreach (var hostile in fixedAlready)
        {
            output.WriteLine($"  passes though marked defect {hostile.Defect}: {hostile}");
        }

        var report = new StringBuilder();
        foreach (var failure in unexpected)
        {
            report.AppendLine("unexpected: " + failure);
        }

        foreach (var group in waiting.GroupBy(f => f.Case.Defect!.Value).OrderBy(g => g.Key))
        {
            foreach (var failure in group)
            {
                report.AppendLine($"waiting for defect {group.Key}: {failure}");
            }
        }

        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} hostile cases failed:\n{report}");
    }
}
