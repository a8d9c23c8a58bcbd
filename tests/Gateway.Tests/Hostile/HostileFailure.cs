namespace Routescope.Gateway.Tests.Hostile;

/// <summary>What went wrong with one case, for the report that lists every failing case at once.</summary>
public sealed record HostileFailure(HostileCase Case, int Got, IReadOnlyList<string> Problems)
{
    public override string ToString() =>
        $"{Case.Class}/{Case.Name}: expected {string.Join("|", Case.Status)}, got {Got}: {string.Join("; ", Problems)}";
}
