using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// Everything one proxied request carries through the pipeline, in one place: the path guard creates it, each later
/// step reads what the earlier ones learnt and adds its own. Reached with <c>context.GetGatewayRequest()</c>. Owned by
/// its request: only that request's steps touch it, one at a time.
/// </summary>
internal sealed class GatewayRequest(GeminiRoute route, GatewayCaller caller, string channel)
{
    private readonly List<UpstreamAttempt> _attempts = new(1);
    private List<string>? _passedOver;

    /// <summary>What the path says: the operation and the requested model.</summary>
    public GeminiRoute Route => route;

    /// <summary>Whose gateway key the request came with.</summary>
    public GatewayCaller Caller => caller;

    /// <summary>The upstream channel: the YARP cluster the route forwards to (its ratio applies to the bill).</summary>
    public string Channel => channel;

    /// <summary>The buffered body and its shape, once inspection accepted them; null for operations without a body.</summary>
    public InspectedRequest? Inspected { get; set; }

    /// <summary>The models the fallback step may still move on to; null when the request has no chain.</summary>
    public IAttemptChain? Chain { get; set; }

    /// <summary>Every attempt made, in order.</summary>
    public IReadOnlyList<UpstreamAttempt> Attempts => _attempts;

    /// <summary>The last attempt made (whether or not its answer is served); null when none was made.</summary>
    public UpstreamAttempt? LastAttempt => _attempts.Count == 0 ? null : _attempts[^1];

    /// <summary>The attempt whose answer the client gets; null before the first attempt and when every model was passed over.</summary>
    public UpstreamAttempt? ServedAttempt { get; private set; }

    /// <summary>Models passed over before the served one, each with why: a status, <c>timeout</c>, <c>unreachable</c>, <c>circuit-open</c>, <c>incompatible</c>.</summary>
    public IReadOnlyList<string> PassedOver => _passedOver ?? (IReadOnlyList<string>)[];

    /// <summary>What metering saw of the response, once it ended.</summary>
    public ResponseObservation? Response { get; set; }

    /// <summary>
    /// Fires when the client goes away (not when the request times out). The upstream answer is then still read to its
    /// usage, within bounds, so the request's abort token no longer says whether the client is there: this does.
    /// </summary>
    public CancellationToken ClientLeft { get; set; }

    /// <summary>Whether the caller's key may use a model (its allow-list); null: every model.</summary>
    public Func<string, bool>? ModelAllowed { get; set; }

    /// <summary>The budget reservation taken for this request (the key has a monthly budget); its usage record settles it.</summary>
    public string? ReservationId { get; set; }

    /// <summary>The server cut the request while the host was shutting down (its shutdown timeout ran out).</summary>
    public bool CutByShutdown { get; set; }

    /// <summary>Operations that are billed and recorded: everything but the model list and model info.</summary>
    public bool IsMetered => route.Operation is not (GeminiOperation.ListModels or GeminiOperation.GetModel);

    /// <summary>The model whose answer the client gets, or the requested one when no attempt answered.</summary>
    public string? ServedModel => ServedAttempt?.Model ?? route.Model;

    /// <summary>The upstream status of the last attempt that got an answer.</summary>
    public int? UpstreamStatus
    {
        get
        {
            for (var i = _attempts.Count - 1; i >= 0; i--)
            {
                if (_attempts[i].UpstreamStatus is { } status)
                {
                    return status;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The chain taken, as the <c>x-gateway-fallback</c> header and the usage record tell it
    /// (<c>gemini-3-pro-image-preview 503 -> gemini-2.5-flash-image</c>); null when the requested model was tried alone.
    /// </summary>
    public string? FallbackChain
    {
        get
        {
            if (_passedOver is not { Count: > 0 } hops)
            {
                return null;
            }

            var chain = string.Join(" -> ", hops);
            return ServedAttempt is not { } served ? chain : chain + " -> " + served.Model + (served.Failure is { } failure ? " " + failure : string.Empty);
        }
    }

    /// <summary>Starts an attempt of <paramref name="model"/>; its answer is the one served unless the chain moves on.</summary>
    public UpstreamAttempt BeginAttempt(string? model, int position, IReadOnlyList<string> adaptations)
    {
        var attempt = new UpstreamAttempt(model, position, adaptations);
        _attempts.Add(attempt);
        ServedAttempt = attempt;
        return attempt;
    }

    /// <summary>A model of the chain is not tried at all.</summary>
    public void PassOver(string model, string reason) => (_passedOver ??= []).Add(model + " " + reason);

    /// <summary>The served attempt failed before anything reached the client; the next model gets its turn.</summary>
    public void MoveOn()
    {
        if (ServedAttempt is { Model: { } model, Failure: { } failure })
        {
            PassOver(model, failure);
        }

        ServedAttempt = null;
    }
}
