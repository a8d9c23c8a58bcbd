namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>A test that needs tools on PATH: skipped where one is missing, except in CI (see <see cref="ToolPath"/>).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = ToolPath.SkipReason(tools);
    }
}
