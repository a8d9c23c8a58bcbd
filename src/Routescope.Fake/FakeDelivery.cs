namespace Routescope.Fake;

/// <summary>How much of its answer the fake got out to the caller. Billing does not depend on it.</summary>
public enum FakeDelivery
{
    /// <summary>Still answering (or waiting out a delay).</summary>
    Pending,

    /// <summary>Every byte was written and flushed, the response completed.</summary>
    Full,

    /// <summary>Headers went out, the body did not finish: the caller left, or the fake broke the connection on purpose.</summary>
    Partial,

    /// <summary>Nothing went out: the caller left before the headers (during a delay) or the connection was aborted.</summary>
    None,
}
