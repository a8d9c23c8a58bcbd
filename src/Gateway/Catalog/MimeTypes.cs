namespace Routescope.Gateway.Catalog;

internal static class MimeTypes
{
    /// <summary><c>type/subtype</c> in lower case, the form Gemini uses.</summary>
    public static bool IsWellFormed(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.Length > 100)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '.' or '+' or '-'))
            {
                return false;
            }
        }

        return value.IndexOf('/', slash + 1) < 0;
    }
}
