using System.Globalization;

using Microsoft.AspNetCore.WebUtilities;

namespace Routescope.Fake;

/// <summary>
/// Decides the answer to a request from its credentials, path, steering headers and body, in the order the upstream
/// judges them: authentication, then the steered status, then the path. The one place both the ledger's bill and the
/// written answer come from, so they cannot disagree.
/// </summary>
internal sealed class FakeAnswerPlanner(FakeUpstreamOptions options)
{
    private const string ProImageModel = "gemini-3-pro-image-preview";

    // "Up to two interim images" is what Google documents for 3 Pro Image's thinking.
    private const int ProThoughtImages = 2;

    public FakeAnswer Plan(ReceivedRequest request)
    {
        var route = FakeRoute.Of(request);
        if (options.ApiKey is { } apiKey && request.Header("authorization") != "Bearer " + apiKey)
        {
            return new FakeAnswer { Route = route, StatusCode = 401, ErrorMessage = "Invalid token (fake upstream)" };
        }

        var steering = FakeSteering.Parse(request, out var complaint);
        if (complaint is not null)
        {
            return new FakeAnswer { Route = route, StatusCode = 400, ErrorMessage = complaint };
        }

        var generation = route.IsGeneration ? Generate(request, route, steering) : null;
        var answer = new FakeAnswer
        {
            Route = route,
            StatusCode = 200,
            Steering = steering,
            Coding = route.IsGeneration ? steering.Encoding ?? ContentCodingNegotiation.Choose(request.Header("accept-encoding")) : ContentCoding.Identity,
            Framing = Framing(request, route),
            Generation = generation,
            PromptTokens = PromptTokens(request.BodyLength),
        };

        if (steering.Status is { } status)
        {
            return answer with { StatusCode = status, ErrorMessage = "Scripted failure (fake upstream)", Generation = steering.ErrorUsage ? generation : null };
        }

        return route.Operation switch
        {
            FakeOperation.UnknownPath => answer with { StatusCode = 404, ErrorMessage = "Unknown path (fake upstream)" },
            FakeOperation.UnknownOperation => answer with { StatusCode = 404, ErrorMessage = "Unknown operation (fake upstream)" },
            _ => answer,
        };
    }

    /// <summary>The deterministic prompt token count for a body of this size.</summary>
    private static long PromptTokens(long bodyLength) => Math.Min(1_000_000, 1 + (bodyLength / 4));

    private static EventFramingKind Framing(ReceivedRequest request, FakeRoute route) => route.Operation switch
    {
        FakeOperation.StreamGenerateContent when QueryHelpers.ParseQuery(request.QueryString).TryGetValue("alt", out var alt) && alt == "sse" => EventFramingKind.Sse,
        FakeOperation.StreamGenerateContent => EventFramingKind.JsonArray,
        _ => EventFramingKind.Single,
    };

    private FakeGeneration Generate(ReceivedRequest request, FakeRoute route, FakeSteering steering)
    {
        var model = route.Model;
        return new FakeGeneration
        {
            Model = model,
            Seed = ulong.Parse(request.BodySha256.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture) | 1,
            ImageBytes = steering.ImageBytes ?? (model.Contains("image", StringComparison.Ordinal) ? options.DefaultImageBytes : 0),
            TokensPerImage = ImageTokenTable.For(model, request.Body is { } body ? ImageSizeReader.Read(body) : null),
            ThoughtImagesAsked = steering.ThoughtImages ?? (model == ProImageModel ? ProThoughtImages : 0),
            // Cached content is context the upstream holds, not in this body: it adds to the prompt it is part of.
            PromptTokens = PromptTokens(request.BodyLength) + steering.CachedTokens,
            CachedTokens = steering.CachedTokens,
            ToolUseTokens = steering.ToolUseTokens,
            ThoughtTextTokens = steering.ThoughtsTokens,
            Refusal = steering.Refusal,
            Details = steering.Details,
            EarlyUsage = steering.EarlyUsage,
        };
    }
}
