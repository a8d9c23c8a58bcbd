namespace Routescope.Gateway.Tests.Faults;

/// <summary>How the client's exchange must end for a fault to count as survived.</summary>
public enum ClientEnd
{
    /// <summary>A 200 Gemini answer, read to its clean end.</summary>
    Answer,

    /// <summary>A Gemini-style error the gateway made, with the case's status.</summary>
    Error,

    /// <summary>The upstream's 200 passed through as it came (not an answer, but the upstream's bytes), read to its end.</summary>
    PassedThrough,

    /// <summary>The exchange broke off (before the headers or inside the body): never a body that looks complete.</summary>
    Cut,
}
