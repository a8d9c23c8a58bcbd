namespace Routescope.Gateway.Inspection;

/// <summary>
/// Parses <c>/{version}/models[/{model}[:{method}]]</c> strictly. A model name is 1–128 of letters, digits, '.', '-',
/// '_', never a dot segment, so nothing a client writes in the path can steer the request elsewhere upstream.
/// </summary>
internal static class GeminiPath
{
    public const int MaxModelLength = 128;

    public static readonly string ModelRule =
        $"the model name in the path must be 1 to {MaxModelLength} letters, digits, '.', '-' or '_'";

    public enum Verdict
    {
        Ok,
        BadModel,
        Unknown,
    }

    /// <param name="method"></param>
    /// <param name="path">Request path after the version segment, e.g. <c>models/gemini-2.5-flash-image:generateContent</c>.</param>
    /// <param name="route"></param>
    public static Verdict Parse(string method, ReadOnlySpan<char> path, out GeminiRoute? route)
    {
        route = null;
        if (!path.StartsWith("models", StringComparison.Ordinal))
        {
            return Verdict.Unknown;
        }

        var rest = path["models".Length..];
        if (rest.IsEmpty)
        {
            return Accept(HttpMethods.IsGet(method), GeminiOperation.ListModels, null, out route);
        }

        if (rest[0] != '/')
        {
            return Verdict.Unknown;
        }

        rest = rest[1..];
        var colon = rest.IndexOf(':');
        var model = colon < 0 ? rest : rest[..colon];
        if (!IsValidModel(model))
        {
            return Verdict.BadModel;
        }

        var name = model.ToString();
        if (colon < 0)
        {
            return Accept(HttpMethods.IsGet(method), GeminiOperation.GetModel, name, out route);
        }

        var post = HttpMethods.IsPost(method);
        return rest[(colon + 1)..] switch
        {
            "generateContent" => Accept(post, GeminiOperation.GenerateContent, name, out route),
            "streamGenerateContent" => Accept(post, GeminiOperation.StreamGenerateContent, name, out route),
            "countTokens" => Accept(post, GeminiOperation.CountTokens, name, out route),
            _ => Verdict.Unknown,
        };
    }

    /// <summary>The method segment of a model operation's path (after the colon).</summary>
    public static string MethodName(GeminiOperation operation) => operation switch
    {
        GeminiOperation.GenerateContent => "generateContent",
        GeminiOperation.StreamGenerateContent => "streamGenerateContent",
        GeminiOperation.CountTokens => "countTokens",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a model method"),
    };

    public static bool IsValidModel(ReadOnlySpan<char> model)
    {
        if (model.IsEmpty || model.Length > MaxModelLength || model.Contains("..", StringComparison.Ordinal) || model[0] == '.')
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

    /// <summary>
    /// Kestrel decodes and normalises the path before routing; the raw target still shows encoded separators and dot
    /// segments, which no legitimate Gemini call contains.
    /// </summary>
    public static bool IsSuspiciousRawTarget(ReadOnlySpan<char> rawTarget)
    {
        var queryStart = rawTarget.IndexOf('?');
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        return path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || path.Contains('\\')
            || path.Contains("/../", StringComparison.Ordinal)
            || path.Contains("/./", StringComparison.Ordinal)
            || path.EndsWith("/..", StringComparison.Ordinal)
            || path.EndsWith("/.", StringComparison.Ordinal);
    }

    private static Verdict Accept(bool methodAllowed, GeminiOperation operation, string? model, out GeminiRoute? route)
    {
        route = methodAllowed ? new GeminiRoute { Operation = operation, Model = model } : null;
        return methodAllowed ? Verdict.Ok : Verdict.Unknown;
    }
}
