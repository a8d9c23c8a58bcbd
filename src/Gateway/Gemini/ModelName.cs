namespace Routescope.Gateway.Gemini;

/// <summary>
/// What a model name may be, in a path and in the catalog: 1–128 letters, digits, '.', '-', '_', never a dot segment,
/// so nothing a client writes in the path can steer the request elsewhere upstream.
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
}
