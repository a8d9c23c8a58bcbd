using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>
/// Sends each key's soft and hard notice once a month: the store says which replica is first
/// (<see cref="IBudgetStore.TryNoteNoticeAsync"/>), a local set spares it the question for every later request of a key
/// already past its line. Everything runs in the background: a notice never delays or fails the request.
/// </summary>
internal sealed partial class BudgetNotifier(
    IBudgetStore store, IHttpClientFactory clients, IOptions<BudgetOptions> options, BudgetMetrics metrics, TimeProvider time, ILogger<BudgetNotifier> logger)
{
    public const string HttpClientName = "budget-webhook";

    private readonly ConcurrentDictionary<(string Key, string Month, string Kind), byte> _noted = new();

    public void Notify(BudgetNotice notice)
    {
        var slot = (notice.Caller.KeyId, notice.Month, notice.Kind);
        if (!_noted.TryAdd(slot, 0))
        {
            return;
        }

        _ = Task.Run(() => SendAsync(notice, slot));
    }

    private async Task SendAsync(BudgetNotice notice, (string Key, string Month, string Kind) slot)
    {
        try
        {
            if (!await store.TryNoteNoticeAsync(notice.Caller.KeyId, notice.Month, notice.Kind, time.GetUtcNow(), CancellationToken.None))
            {
                return; // another replica (or an earlier run) sent it
            }
        }
        catch (Exception exception)
        {
            // Not noted: the next request past the line asks again.
            _noted.TryRemove(slot, out _);
            LogNoticeFailed(logger, notice.Kind, notice.Caller.KeyId, exception);
            return;
        }

        LogNotice(logger, notice.Kind, notice.Caller.KeyId, notice.Caller.KeyName, notice.Month,
            notice.BudgetUsd, notice.SpentUsd, notice.ReservedUsd);
        if (options.Value.WebhookUrl is not { } url)
        {
            metrics.Notice(notice.Kind, "logged");
            return;
        }

        try
        {
            using var client = clients.CreateClient(HttpClientName);
            client.Timeout = options.Value.WebhookTimeout;
            using var content = new ByteArrayContent(Json(notice));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content);
            response.EnsureSuccessStatusCode();
            metrics.Notice(notice.Kind, "delivered");
        }
        catch (Exception exception)
        {
            // Noted all the same: a webhook that is down does not get the notice again and again.
            metrics.Notice(notice.Kind, "failed");
            LogWebhookFailed(logger, notice.Kind, notice.Caller.KeyId, exception);
        }
    }

    internal static byte[] Json(BudgetNotice notice)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", notice.Kind);
            writer.WriteString("keyId", notice.Caller.KeyId);
            writer.WriteString("keyName", notice.Caller.KeyName);
            writer.WriteString("keyGroup", notice.Caller.Group);
            writer.WriteString("month", notice.Month);
            writer.WriteNumber("budgetUsd", notice.BudgetUsd);
            writer.WriteNumber("spentUsd", notice.SpentUsd);
            writer.WriteNumber("reservedUsd", notice.ReservedUsd);
            writer.WriteNumber("softBudgetRatio", notice.SoftBudgetRatio);
            writer.WriteString("at", notice.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = EventIds.BudgetNotice, Level = LogLevel.Warning,
        Message = "Budget notice {Kind} for key {KeyId} ({KeyName}) in {Month}: budget {BudgetUsd} USD, spent {SpentUsd} USD, reserved {ReservedUsd} USD")]
    private static partial void LogNotice(ILogger logger, string kind, string keyId, string keyName, string month, decimal budgetUsd, decimal spentUsd, decimal reservedUsd);

    [LoggerMessage(EventId = EventIds.BudgetNoticeFailed, Level = LogLevel.Warning, Message = "Budget notice {Kind} for key {KeyId} could not be noted in the store; it is tried again on a later request")]
    private static partial void LogNoticeFailed(ILogger logger, string kind, string keyId, Exception exception);

    [LoggerMessage(EventId = EventIds.BudgetWebhookFailed, Level = LogLevel.Warning, Message = "Budget notice {Kind} for key {KeyId} did not reach the webhook")]
    private static partial void LogWebhookFailed(ILogger logger, string kind, string keyId, Exception exception);
}
