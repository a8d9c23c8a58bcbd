namespace Routescope.Gateway.Gemini;

/// <summary>The Gemini endpoints the gateway forwards.</summary>
internal enum GeminiOperation
{
    ListModels,
    GetModel,
    GenerateContent,
    StreamGenerateContent,
    CountTokens,
}
