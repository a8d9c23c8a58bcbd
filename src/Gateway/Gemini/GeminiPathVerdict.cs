namespace Routescope.Gateway.Gemini;

/// <summary>What <see cref="GeminiPath.Parse"/> made of a path.</summary>
internal enum GeminiPathVerdict
{
    Ok,
    BadModel,
    Unknown,
}
