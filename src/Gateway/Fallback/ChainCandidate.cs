namespace Routescope.Gateway.Fallback;

/// <summary>One model of a request's chain and, once asked for, its body fitted to that model (null when it cannot take the request).</summary>
internal sealed class ChainCandidate(string model)
{
    public string Model => model;

    public bool Fitted { get; private set; }

    public BodyAdaptation? Body { get; private set; }

    public void Fit(BodyAdaptation? body)
    {
        Body = body;
        Fitted = true;
    }
}
