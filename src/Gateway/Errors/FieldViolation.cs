namespace Routescope.Gateway.Errors;

/// <summary>One thing wrong with a request: the JSON path as the client spelled it, and what is wrong or accepted.</summary>
internal sealed record FieldViolation(string Field, string Description)
{
    public override string ToString() => Field + ": " + Description;
}
