namespace Routescope.Gateway.Gemini;

/// <summary>A value read from the request together with the JSON path it was found at.</summary>
internal sealed record ShapeField<T>(T Value, string Path);
