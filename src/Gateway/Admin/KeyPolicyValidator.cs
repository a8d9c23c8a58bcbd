using FluentValidation;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy;

namespace Routescope.Gateway.Admin;

/// <summary>
/// The values a key or group policy may take; null (unset) is always fine. Each message starts with the JSON field
/// it is about, which the CLI turns into its option's name.
/// </summary>
internal sealed class KeyPolicyValidator : AbstractValidator<KeyPolicy>
{
    public KeyPolicyValidator(TimeProvider time)
    {
        RuleFor(policy => policy.AllowedModels)
            .Must(models => models is null || models.Count is > 0 and <= ModelPattern.MaxCount)
            .WithMessage($"allowedModels: a list of 1 to {ModelPattern.MaxCount} model names or patterns (null allows every model)");
        RuleForEach(policy => policy.AllowedModels)
            .Must(ModelPattern.IsValid)
            .WithMessage("allowedModels[{CollectionIndex}]: " + ModelPattern.Rule)
            .When(policy => policy.AllowedModels is not null);
        RuleFor(policy => policy.Rpm)
            .Must(rpm => rpm is null or >= 1).WithMessage("rpm: a whole number of at least 1");
        RuleFor(policy => policy.Concurrency)
            .Must(concurrency => concurrency is null or >= 1).WithMessage("concurrency: a whole number of at least 1");
        RuleFor(policy => policy.MonthlyBudgetUsd)
            .Must(budget => budget is null or >= 0).WithMessage("monthlyBudgetUsd: a number of at least 0");
        RuleFor(policy => policy.SoftBudgetRatio)
            .Must(ratio => ratio is null or >= 0 and <= 1).WithMessage("softBudgetRatio: a number from 0 to 1");
        RuleFor(policy => policy.ExpiresAt)
            .Must(expires => expires is null || expires > time.GetUtcNow()).WithMessage("expiresAt: must be in the future");
    }
}
