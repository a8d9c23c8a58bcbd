namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>The theory counterpart of <see cref="ToolFactAttribute"/>.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = ToolPath.SkipReason(tools);
    }
}
