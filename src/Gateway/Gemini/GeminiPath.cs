namespace Routescope.Gateway.Gemini;

/// <summary>
/// Parses <c>/{version}/models[/{model}[:{method}]]</c> strictly and builds the one path the upstream is sent. The
/// version, <c>models</c> and the method are literals compared ordinally: ASP.NET's route matching ignores case, the
/// upstream does not, so a spelling the gateway let through would reach the upstream as a 404 against a real model.
/// Model names are the one case-insensitive part (see <see cref="ModelName"/>).
/// </summary>
internal static class GeminiPath
{
    /// <summary>The version the upstream serves (the <c>/v1/</c> route is sent to it).</summary>
    public const string UpstreamVersion = "/v1beta";

    private const string ModelsSegment = "models";

    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The decoded request path, e.g. <c>/v1beta/models/gemini-2.5-flash-image:generateContent</c>.</param>
    /// <param name="route">The route, when the verdict is <see cref="GeminiPathVerdict.Ok"/>; its model is lower case.</param>
    public static GeminiPathVerdict Parse(string method, ReadOnlySpan<char> path, out GeminiRoute? route)
    {
        route = null;
        if (!TrySkipVersion(path, out var afterVersion) || !afterVersion.StartsWith(ModelsSegment, StringComparison.Ordinal))
        {
            return GeminiPathVerdict.Unknown;
        }

        var rest = afterVersion[ModelsSegment.Length..];
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

        var name = ModelName.Normalise(model);
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

    /// <summary>
    /// The upstream path of an operation on <paramref name="model"/> (the route's model, or the model of a fallback
    /// attempt), e.g. <c>/v1beta/models/gemini-2.5-flash-image:generateContent</c>; nothing of the client's spelling.
    /// </summary>
    public static string ForUpstream(GeminiOperation operation, string? model) => operation switch
    {
        GeminiOperation.ListModels => UpstreamVersion + "/" + ModelsSegment,
        GeminiOperation.GetModel => UpstreamVersion + "/" + ModelsSegment + "/" + Required(model),
        _ => UpstreamVersion + "/" + ModelsSegment + "/" + Required(model) + ":" + operation.MethodName(),
    };

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

    /// <summary>The path after <c>/v1beta/</c> or <c>/v1/</c>, spelled exactly so.</summary>
    private static bool TrySkipVersion(ReadOnlySpan<char> path, out ReadOnlySpan<char> afterVersion)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["/v1beta/", "/v1/"])
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                afterVersion = path[prefix.Length..];
                return true;
            }
        }

        afterVersion = [];
        return false;
    }

    private static string Required(string? model) =>
        model ?? throw new InvalidOperationException("A model operation's route always names its model.");

    private static GeminiPathVerdict Accept(bool methodAllowed, GeminiOperation operation, string? model, out GeminiRoute? route)
    {
        route = methodAllowed ? new GeminiRoute { Operation = operation, Model = model } : null;
        return methodAllowed ? GeminiPathVerdict.Ok : GeminiPathVerdict.Unknown;
    }
}
