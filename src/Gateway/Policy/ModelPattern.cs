namespace Routescope.Gateway.Policy;

/// <summary>
/// One entry of an allow-list: an exact model name, or a pattern where <c>*</c> stands for any run of characters
/// (<c>gemini-2.5-*</c>). Case-insensitive, as model names are (the path's name arrives lower-cased, a stored pattern
/// may not be).
/// </summary>
internal static class ModelPattern
{
    /// <summary>As long as a model name in the path may be (see the README's endpoints).</summary>
    public const int MaxLength = 128;

    /// <summary>An allow-list is a handful of names and patterns; thousands would be a mistake, and each request scans it.</summary>
    public const int MaxCount = 64;

    public const string Rule = "a model name or pattern: 1 to 128 letters, digits, '.', '-', '_' or '*'";

    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in pattern)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Matches(string pattern, string model)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, model, StringComparison.OrdinalIgnoreCase);
        }

        // Greedy-free glob: the literal pieces between stars must appear in order, the first at the start and the
        // last at the end.
        var pieces = pattern.Split('*');
        if (!model.StartsWith(pieces[0], StringComparison.OrdinalIgnoreCase) || !model.EndsWith(pieces[^1], StringComparison.OrdinalIgnoreCase)
            || model.Length < pieces[0].Length + pieces[^1].Length)
        {
            return false;
        }

        var at = pieces[0].Length;
        var end = model.Length - pieces[^1].Length;
        for (var i = 1; i < pieces.Length - 1; i++)
        {
            var found = model.IndexOf(pieces[i], at, end - at, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            at = found + pieces[i].Length;
        }

        return true;
    }

    public static bool Allows(IReadOnlyList<string>? allowList, string model) => allowList is null || allowList.Any(pattern => Matches(pattern, model));
}
