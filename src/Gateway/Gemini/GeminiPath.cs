namespace Routescope.Gateway.Gemini;

/// <summary>Parses <c>/{version}/models[/{model}[:{method}]]</c> strictly (model names by <see cref="ModelName"/>).</summary>
internal static class GeminiPath
{
    /// <summary>The version the upstream serves (the <c>/v1/</c> route is rewritten to it).</summary>
    public const string UpstreamVersion = "/v1beta";

    /// <param name="method">The HTTP method.</param>
    /// <param name="path">Request path after the version segment, e.g. <c>models/gemini-2.5-flash-image:generateContent</c>.</param>
    /// <param name="route">The route, when the verdict is <see cref="GeminiPathVerdict.Ok"/>.</param>
    public static GeminiPathVerdict Parse(string method, ReadOnlySpan<char> path, out GeminiRoute? route)
    {
        route = null;
        if (!path.StartsWith("models", StringComparison.Ordinal))
        {
            return GeminiPathVerdict.Unknown;
        }

        var rest = path["models".Length..];
        if (rest.IsEmpty)
        {
            return Accept(HttpMethods.IsGet(method), GeminiOperation.ListModels, null, out route);
        }

        if (rest[0] != '/')
        {
            return GeminiPathVerdict.Unknown;
        }

        rest = rest[1..];
        var colon = rest.IndexOf(':');
        var model = colon < 0 ? rest : rest[..colon];
        if (!ModelName.IsValid(model))
        {
            return GeminiPathVerdict.BadModel;
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
            _ => GeminiPathVerdict.Unknown,
        };
    }

    /// <summary>The upstream path of a model operation, e.g. <c>/v1beta/models/gemini-2.5-flash-image:generateContent</c>.</summary>
    public static string ForModel(string model, GeminiOperation operation) =>
        UpstreamVersion + "/models/" + model + ":" + operation.MethodName();

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

    private static GeminiPathVerdict Accept(bool methodAllowed, GeminiOperation operation, string? model, out GeminiRoute? route)
    {
        route = methodAllowed ? new GeminiRoute { Operation = operation, Model = model } : null;
        return methodAllowed ? GeminiPathVerdict.Ok : GeminiPathVerdict.Unknown;
    }
}
