using System.Net;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Routescope.Fake;

/// <summary>
/// A deterministic stand-in for the Routescope relay on a real loopback Kestrel server, as unkind as the real one:
/// the same request gets the same bytes back, steering headers (<see cref="FakeHeaders"/>) pick the behaviours real
/// upstreams show (compression, usage variations, refusals, odd SSE, broken streams), and tests can script answers
/// through <see cref="Script"/>. Its <see cref="Ledger"/> bills what it generated, as the upstream's invoice does,
/// whether or not the caller stayed to read it.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    /// <summary>Bodies up to this size are kept in the ledger for tests to inspect.</summary>
    public const int KeptBodyLimit = 4 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly FakeAnswerPlanner _planner;
    private readonly FakeLedger _ledger;
    private volatile Func<ReceivedRequest, FakeScriptedResponse?>? _script;

    private FakeUpstream(WebApplication app, FakeUpstreamOptions options, Uri baseAddress)
    {
        _app = app;
        _planner = new FakeAnswerPlanner(options);
        _ledger = new FakeLedger(options.LedgerCapacity);
        BaseAddress = baseAddress;
    }

    /// <summary>Address of the server, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _ledger.Snapshot().Select(entry => entry.Request)];

    /// <summary>Every request received so far with what it bills and how far its answer got, oldest first.</summary>
    public IReadOnlyList<FakeLedgerEntry> Ledger => _ledger.Snapshot();

    /// <summary>Replaces the normal answer for the requests it returns a response for; scripted answers bill nothing.</summary>
    public Func<ReceivedRequest, FakeScriptedResponse?>? Script
    {
        get => _script;
        set => _script = value;
    }

    public void ClearReceived() => _ledger.Clear();

    public static async Task<FakeUpstream> StartAsync(FakeUpstreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake = new FakeUpstream(app, options, new Uri(address));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await RequestReader.ReadAsync(context);
        var scripted = _script?.Invoke(received);
        var answer = scripted is null ? _planner.Plan(received) : null;
        var slot = _ledger.Add(sequence => new FakeLedgerEntry
        {
            Sequence = sequence,
            Request = received,
            Operation = (answer?.Route ?? FakeRoute.Of(received)).OperationName,
            StatusCode = answer?.StatusCode ?? scripted!.StatusCode,
            Billed = answer?.Bill ?? FakeBill.None,
            FinishReason = answer?.FinishReason,
            ContentEncoding = answer is null ? null : ContentCodingStreams.Label(answer.Coding),
            Scripted = scripted is not null,
            Delivery = FakeDelivery.Pending,
        });

        // The bill above stands whatever happens now: a caller that leaves does not undo the work.
        var ended = false;
        try
        {
            if (scripted is not null)
            {
                await ScriptedAnswerWriter.WriteAsync(context, scripted);
            }
            else
            {
                await FakeAnswerWriter.WriteAsync(context, answer!);
            }

            ended = !context.RequestAborted.IsCancellationRequested;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
        }

        // Ended means every byte was handed to the connection; whether the caller read it, no server can know.
        slot.Settle(ended ? FakeDelivery.Full : context.Response.HasStarted ? FakeDelivery.Partial : FakeDelivery.None);
    }
}
