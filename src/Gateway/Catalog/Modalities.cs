namespace Routescope.Gateway.Catalog;

internal static class Modalities
{
    public const string Text = "TEXT";
    public const string Image = "IMAGE";

    /// <summary>Response modalities Gemini defines.</summary>
    public static readonly string[] Known = [Text, Image, "AUDIO"];
}
