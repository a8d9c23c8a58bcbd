using FluentValidation;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

internal sealed class CreateKeyRequestValidator : AbstractValidator<CreateKeyRequest>
{
    public const int MaxNameLength = 100;

    public CreateKeyRequestValidator(IValidator<KeyPolicy> policy)
    {
        RuleFor(request => request.Name)
            .NotEmpty().WithMessage("name: required")
            .MaximumLength(MaxNameLength).WithMessage($"name: at most {MaxNameLength} characters")
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("name: control characters are not allowed");
        RuleFor(request => request.Group)
            .Must(group => group is null || KeyGroupName.IsValid(group)).WithMessage("group: " + KeyGroupName.Rule);
        // The policy fields (expiresAt among them) follow the rules PATCH /admin/keys/{id} applies.
        RuleFor(request => request.ToPolicy()).SetValidator(policy).OverridePropertyName("policy");
    }
}
