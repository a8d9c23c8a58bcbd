using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Billing;

/// <summary>
/// Refuses a channel or group ratio of 0 unless <c>Billing:AllowZeroRatios</c> is set: a typo there would price every
/// record of that channel or group at $0 for work the upstream bills, and nobody would notice until the invoice.
/// </summary>
internal sealed class ZeroRatioValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        if (options.AllowZeroRatios)
        {
            return ValidateOptionsResult.Success;
        }

        var zero = options.ChannelRatios.Where(ratio => ratio.Value == 0).Select(ratio => "Billing:ChannelRatios:" + ratio.Key)
            .Concat(options.GroupRatios.Where(ratio => ratio.Value == 0).Select(ratio => "Billing:GroupRatios:" + ratio.Key))
            .Select(setting => setting + " is 0, which makes its usage free; set Billing:AllowZeroRatios=true if that is meant.")
            .ToList();
        return zero.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(zero);
    }
}
