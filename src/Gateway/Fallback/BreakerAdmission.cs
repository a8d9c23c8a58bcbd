namespace Routescope.Gateway.Fallback;

/// <summary>The answer to "may this request go to the model?".</summary>
internal enum BreakerAdmission
{
    Denied,
    Admitted,

    /// <summary>The one request allowed through after the cooldown; its outcome closes or reopens the breaker.</summary>
    Probe,
}
