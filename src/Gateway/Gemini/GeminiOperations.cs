namespace Routescope.Gateway.Gemini;

internal static class GeminiOperations
{
    /// <summary>Generation is what has a chain of models, image parameters to check, and usage to bill by tokens.</summary>
    public static bool IsGeneration(this GeminiOperation operation) =>
        operation is GeminiOperation.GenerateContent or GeminiOperation.StreamGenerateContent;

    /// <summary>The method segment of a model operation's path (after the colon).</summary>
    public static string MethodName(this GeminiOperation operation) => operation switch
    {
        GeminiOperation.GenerateContent => "generateContent",
        GeminiOperation.StreamGenerateContent => "streamGenerateContent",
        GeminiOperation.CountTokens => "countTokens",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a model method"),
    };
}
