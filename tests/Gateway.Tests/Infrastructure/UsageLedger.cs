using System.Net;
using System.Text.Json;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Every usage record a running gateway process can show finance: its per-request JSON export
/// (<c>/admin/usage/export?groupBy=none&amp;format=json</c>) over all time.
/// </summary>
public sealed class UsageLedger
{
    private const string ExportPath = "/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=none&format=json";

    private UsageLedger(IReadOnlyList<LedgerRecord> records) => Records = records;

    public IReadOnlyList<LedgerRecord> Records { get; }

    /// <summary>The records of each request id, abandoned attempts of a fallback chain left out.</summary>
    public ILookup<string, LedgerRecord> OwnRecords => Records.Where(r => r.Outcome != UsageOutcome.Abandoned).ToLookup(r => r.RequestId, StringComparer.Ordinal);

    public static async Task<UsageLedger> ExportAsync(GatewayProcess gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var admin = gateway.CreateAdminClient();
        using var response = await admin.GetAsync(new Uri(ExportPath, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The usage export answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var records = json.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => new LedgerRecord(r.GetProperty("requestId").GetString()!, r.GetProperty("recordId").GetString()!, r.GetProperty("outcome").GetString()!))
            .ToArray();
        return new UsageLedger(records);
    }

    /// <summary>
    /// The export once nothing is on its way to the store any more: readiness reports a healthy usage path (no backlog
    /// queued or spilled, the store writing) and two exports a moment apart agree. Meant for a gateway no client is
    /// sending to, such as one just restarted on a data directory a killed one left.
    /// </summary>
    public static async Task<UsageLedger> SettledAsync(GatewayProcess gateway, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var deadline = DateTime.UtcNow + timeout;
        UsageLedger? previous = null;
        var readiness = (Status: 0, Body: string.Empty);
        while (DateTime.UtcNow < deadline)
        {
            readiness = await gateway.ReadinessAsync();
            if (readiness.Status == 200 && IsHealthy(readiness.Body))
            {
                var current = await ExportAsync(gateway);
                if (previous is not null && previous.Records.Count == current.Records.Count)
                {
                    return current;
                }

                previous = current;
            }
            else
            {
                previous = null;
            }

            await Task.Delay(300);
        }

        throw new Xunit.Sdk.XunitException(
            $"The usage backlog did not settle within {timeout} (last /readyz: {readiness.Status} {readiness.Body}; process exited: {gateway.HasExited}):\n{gateway.Tail()}");
    }

    // A degraded check (records spilled, the store failing) still answers 200; only "ok" means nothing is pending.
    private static bool IsHealthy(string readinessBody)
    {
        using var json = JsonDocument.Parse(readinessBody);
        return json.RootElement.TryGetProperty("status", out var status) && status.GetString() == "ok";
    }
}
