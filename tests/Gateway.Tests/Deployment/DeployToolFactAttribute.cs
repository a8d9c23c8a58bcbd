namespace Routescope.Gateway.Tests.Deployment;

/// <summary>
/// A test that needs deployment tools on PATH (kubectl, docker-compose, node): skipped where one is missing, except
/// in CI (<c>CI=true</c>, as .ci/run sets), where it runs and so fails without it: the check that the manifests and
/// the compose file are valid must not quietly stop running.
/// </summary>
public sealed class DeployToolFactAttribute : FactAttribute
{
    public DeployToolFactAttribute(params string[] tools)
    {
        Skip = DeployToolSkip.Reason(tools);
    }
}
