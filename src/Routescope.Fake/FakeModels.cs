using System.Text.Json;

namespace Routescope.Fake;

/// <summary>The model list the fake serves.</summary>
internal static class FakeModels
{
    private static readonly string[] Known =
    [
        "gemini-2.5-flash-image",
        "gemini-3-pro-image-preview",
        "gemini-3.1-flash-image-preview",
        "gemini-2.5-flash",
    ];

    private static readonly string[] SupportedMethods = ["generateContent", "countTokens"];

    public static string ListJson() => "{\"models\":[" + string.Join(",", Known.Select(ModelJson)) + "]}";

    public static string ModelJson(string model) =>
        JsonSerializer.Serialize(new
        {
            name = "models/" + model,
            displayName = model,
            supportedGenerationMethods = SupportedMethods,
        });
}
