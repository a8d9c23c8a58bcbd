namespace Routescope.Gateway.Admin;

/// <summary>An entry of <c>allowedModels</c>: an exact model name, or one with <c>*</c> standing for any run of characters.</summary>
internal static class ModelPattern
{
    /// <summary>As long as a model name in the path may be (see the README's endpoints).</summary>
    public const int MaxLength = 128;

    /// <summary>An allow-list is a handful of names and patterns; thousands would be a mistake, and each request scans it.</summary>
    public const int MaxCount = 64;

    public const string Rule = "a model name or pattern: 1 to 128 letters, digits, '.', '-', '_' or '*'";

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*'))
            {
                return false;
            }
        }

        return true;
    }
}
