using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Splits a record into its FOCUS charges, one per kind with a quantity (zero quantities are no charge). Each kind is
/// priced by its term of the record's own formula (<see cref="Billing.CostCalculator.UpstreamCost"/>): tokens × price
/// ÷ 10^6 × channel ratio, or images × per-image price × channel ratio. In decimal these terms add up to the record's
/// costs exactly; should a stored cost ever differ from them (a record kept before the two costs existed), the
/// difference goes to the record's largest charge, so the rows of a record always sum to its costs.
/// </summary>
internal static class FocusCharges
{
    /// <summary>The pricing unit of token kinds: the catalog's prices are per million tokens (a whole-number quantity, as UnitFormat asks).</summary>
    public const string MillionTokens = "1000000 Tokens";

    public const string Tokens = "Tokens";

    public const string Images = "Images";

    private const decimal Million = 1_000_000m;

    /// <summary>
    /// The charges of <paramref name="record"/>; none for an unpriced record (FOCUS allows no null or placeholder
    /// cost on a usage row, and the record has no price to state).
    /// </summary>
    public static IReadOnlyList<FocusCharge> Of(UsageRecord record)
    {
        if (UsageRecordCosts.Prices(record) is not { } prices || record.UpstreamCost is not { } upstream)
        {
            return [];
        }

        var cached = Math.Min(record.CachedContentTokens, record.PromptTokens);
        var quantities = new List<(FocusChargeKind Kind, long Quantity, decimal Price)>
        {
            (FocusChargeKind.Input, record.PromptTokens - cached + record.ToolUsePromptTokens, prices.Input),
            (FocusChargeKind.CachedInput, cached, prices.CachedInput),
            (FocusChargeKind.OutputText, record.OutputTextTokens, prices.OutputText),
            (FocusChargeKind.Thinking, record.ThoughtsTokens, prices.OutputText),
        };
        if (prices.PerImage is { } perImage)
        {
            quantities.Add((FocusChargeKind.Image, record.Images, perImage));
        }
        else
        {
            quantities.Add((FocusChargeKind.OutputImage, record.OutputImageTokens, prices.OutputImage));
        }

        var billed = UsageAggregator.BilledAt(record);
        var month = BillingMonth.Start(billed);
        var second = FocusTime.Floor(billed);
        var charges = new List<FocusCharge>();
        foreach (var (kind, quantity, price) in quantities)
        {
            if (quantity == 0)
            {
                continue;
            }

            var pricingQuantity = kind == FocusChargeKind.Image ? quantity : quantity / Million;
            var contractedPrice = price * record.ChannelRatio;
            // The record's own term: (tokens × price) ÷ 10^6 × ratio, in that order, as CostCalculator computes it.
            var cost = kind == FocusChargeKind.Image ? quantity * price * record.ChannelRatio : quantity * price / Million * record.ChannelRatio;
            charges.Add(new FocusCharge
            {
                Kind = kind,
                ServedModel = record.ServedModel,
                ImageSize = kind == FocusChargeKind.Image ? record.ImageSize : null,
                PricingQuantity = pricingQuantity,
                ConsumedQuantity = quantity,
                ListUnitPrice = price,
                ContractedUnitPrice = contractedPrice,
                ListCost = pricingQuantity * price,
                ContractedCost = pricingQuantity * contractedPrice,
                BilledCost = cost,
                ChargebackCost = cost * record.GroupRatio,
                ChannelRatio = record.ChannelRatio,
                GroupRatio = record.GroupRatio,
                Currency = record.Currency,
                CostBasis = record.CostBasis,
                ChargeClass = record.ChargeClass,
                BillingPeriodStart = month,
                // The charge is effective when it is billed (the one time every export attributes it by), as the
                // whole second holding it: inside the billing period, since the month's bounds are whole seconds.
                ChargePeriodStart = second,
                ChargePeriodEnd = second.AddSeconds(1),
                KeyId = record.KeyId,
                KeyPrefix = record.KeyPrefix,
                KeyName = record.KeyName,
                KeyGroup = record.KeyGroup,
                RequestedModel = record.RequestedModel,
                RequestId = record.RequestId,
                RecordId = record.RecordId,
                UsageStart = FocusTime.Floor(record.StartedAt < record.EndedAt ? record.StartedAt : record.EndedAt),
                UsageEnd = FocusTime.Ceiling(record.EndedAt),
            });
        }

        return Balanced(charges, upstream, record.ChargebackCost ?? upstream * record.GroupRatio);
    }

    /// <summary>The charges with any difference between their sums and the record's costs put on the largest one.</summary>
    private static List<FocusCharge> Balanced(List<FocusCharge> charges, decimal upstream, decimal chargeback)
    {
        if (charges.Count == 0)
        {
            return charges;
        }

        var billedRest = upstream - charges.Sum(c => c.BilledCost);
        var chargebackRest = chargeback - charges.Sum(c => c.ChargebackCost);
        if (billedRest == 0 && chargebackRest == 0)
        {
            return charges;
        }

        var largest = charges.IndexOf(charges.MaxBy(c => c.BilledCost)!);
        charges[largest] = charges[largest] with
        {
            BilledCost = charges[largest].BilledCost + billedRest,
            ChargebackCost = charges[largest].ChargebackCost + chargebackRest,
        };
        return charges;
    }
}
