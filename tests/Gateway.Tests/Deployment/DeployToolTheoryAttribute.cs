namespace Routescope.Gateway.Tests.Deployment;

/// <summary>The theory counterpart of <see cref="DeployToolFactAttribute"/>.</summary>
public sealed class DeployToolTheoryAttribute : TheoryAttribute
{
    public DeployToolTheoryAttribute(params string[] tools)
    {
        Skip = DeployToolSkip.Reason(tools);
    }
}
