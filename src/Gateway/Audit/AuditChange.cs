namespace Routescope.Gateway.Audit;

/// <summary>One field an audited action changed, as text (null: unset), e.g. <c>rpm</c> from <c>60</c> to <c>120</c>.</summary>
internal sealed record AuditChange(string Field, string? Old, string? New);
