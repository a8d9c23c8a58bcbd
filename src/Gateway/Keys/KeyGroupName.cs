namespace Routescope.Gateway.Keys;

/// <summary>Key names and groups end up in exports and metrics labels: keep them short and plain.</summary>
internal static class KeyGroupName
{
    public const int MaxLength = 64;
    public const string Rule = "1 to 64 letters, digits, '.', '-' or '_'.";

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
