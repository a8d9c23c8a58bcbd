namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// What <see cref="RawFaultUpstream"/> does to a request that asks for it (<see cref="RawFaultUpstream.FaultHeader"/>):
/// faults only a raw socket can make, since Kestrel always sends well-formed headers and closes gracefully.
/// </summary>
public enum RawFault
{
    /// <summary>Reads the whole request, then resets the connection (RST) before any response byte.</summary>
    ResetBeforeHeaders,

    /// <summary>Reads the whole request, then closes its side (FIN) before any response byte.</summary>
    FinBeforeHeaders,

    /// <summary>Sends the headers of a 200 JSON answer with a Content-Length, then resets.</summary>
    HeadersThenReset,

    /// <summary>Sends a 200 JSON answer's headers and part of its body, then resets.</summary>
    ResetMidBody,

    /// <summary>A 200 answer with one 128 KB header.</summary>
    HugeHeader,

    /// <summary>A 200 answer with 2,048 headers of 64 bytes each: 128 KB of headers in all.</summary>
    ManyHeaders,
}
