namespace Routescope.Gateway.Gemini;

/// <summary>
/// What a model name may be, in a path and in the catalog: 1–128 letters, digits, '.', '-', '_', never a dot segment,
/// so nothing a client writes in the path can steer the request elsewhere upstream. Names are case-insensitive and
/// lower case is their one spelling: a path's name is lower-cased when it is parsed, so allow-lists, the catalog,
/// fallback chains, the upstream path and the usage record all see the spelling the catalog uses (Gemini's model ids
/// are lower case; a case variant is never another model).
/// </summary>
internal static class ModelName
{
    public const int MaxLength = 128;

    public static readonly string Rule = $"the model name in the path must be 1 to {MaxLength} letters, digits, '.', '-' or '_'";

    public static bool IsValid(ReadOnlySpan<char> model)
    {
        if (model.IsEmpty || model.Length > MaxLength || model.Contains("..", StringComparison.Ordinal) || model[0] == '.')
        {
            return false;
        }

        foreach (var c in model)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A valid name as it is spelled everywhere after the path: lower case (valid names are ASCII).</summary>
    public static string Normalise(ReadOnlySpan<char> model) => model.ToString().ToLowerInvariant();

    /// <summary>Whether a valid name is already in its one spelling, as catalog names must be.</summary>
    public static bool IsLowerCase(ReadOnlySpan<char> model) => !model.ContainsAnyInRange('A', 'Z');
}
