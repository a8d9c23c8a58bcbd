using Microsoft.Extensions.Options;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>
/// The most a request can cost before it is sent, which is what a budget reserves: for each model of its chain the
/// key may use, the prompt estimated from the request's size, the catalog's image tokens for the requested
/// <c>imageSize</c> times <c>candidateCount</c>, and text output up to <c>maxOutputTokens</c> (or the model's cap),
/// at that model's prices and the request's ratios; the dearest model of the chain wins.
/// </summary>
internal sealed class BudgetEstimator(ModelCatalog catalog, IOptions<BillingOptions> billing)
{
    public decimal MaxCost(GatewayRequest request)
    {
        var shape = request.Inspected?.Shape;
        var prompt = UsageEstimator.PromptTokens(request.Inspected?.Body.Length ?? 0, shape);
        var candidates = (int)Math.Clamp(shape?.CandidateCount?.Value ?? 1, 1, 8);
        var settings = billing.Value;
        var (channel, group) = (settings.ChannelRatio(request.Channel), settings.GroupRatio(request.Caller.Group));
        decimal max = 0;
        foreach (var model in Chain(request))
        {
            if (catalog.Find(model) is not { } options)
            {
                continue;
            }

            var size = shape?.ImageSize?.Value is { } asked && options.ImageSizes.Contains(asked, StringComparer.Ordinal) ? asked : options.DefaultImageSize;
            var images = options.GeneratesImages ? candidates : 0;
            var usage = new BillableUsage
            {
                PromptTokens = prompt,
                OutputTextTokens = shape?.MaxOutputTokens?.Value ?? options.MaxOutputTokens,
                OutputImageTokens = images * UsageEstimator.TokensPerImage(options, size),
                Images = images,
                ImageSize = size,
            };
            max = Math.Max(max, CostCalculator.Charge(options.Prices, usage, channel, group).ChargebackCost ?? 0m);
        }

        return max;
    }

    /// <summary>The requested model and every fallback the key may use (whether or not the request opts out: an upper bound).</summary>
    private IEnumerable<string> Chain(GatewayRequest request)
    {
        if (request.Route.Model is not { } requested)
        {
            yield break;
        }

        yield return requested;
        foreach (var fallback in catalog.Find(requested)?.Fallback ?? [])
        {
            if (request.ModelAllowed?.Invoke(fallback) ?? true)
            {
                yield return fallback;
            }
        }
    }
}
