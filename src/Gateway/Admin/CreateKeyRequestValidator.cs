using FluentValidation;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

internal sealed class CreateKeyRequestValidator : AbstractValidator<CreateKeyRequest>
{
    public const int MaxNameLength = 100;

    public CreateKeyRequestValidator(TimeProvider time)
    {
        RuleFor(request => request.Name)
            .NotEmpty().WithMessage("name: required")
            .MaximumLength(MaxNameLength).WithMessage($"name: at most {MaxNameLength} characters")
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("name: control characters are not allowed");
        RuleFor(request => request.Group)
            .Must(group => group is null || KeyGroupName.IsValid(group)).WithMessage("group: " + KeyGroupName.Rule);
        RuleFor(request => request.ExpiresAt)
            .Must(expires => expires is null || expires > time.GetUtcNow()).WithMessage("expiresAt: must be in the future");
    }
}
