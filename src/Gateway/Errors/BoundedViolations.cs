namespace Routescope.Gateway.Errors;

/// <summary>
/// Collects a request's field violations up to <see cref="MaxReported"/> and only counts the rest: a body made of
/// thousands of broken parts must not make the gateway hold (or send) thousands of messages.
/// </summary>
internal sealed class BoundedViolations
{
    /// <summary>The most violations one error reports; the message says how many more there were.</summary>
    public const int MaxReported = 20;

    private readonly List<FieldViolation> _reported = new(4);

    public IReadOnlyList<FieldViolation> Reported => _reported;

    /// <summary>Violations found beyond <see cref="MaxReported"/>, counted but not kept.</summary>
    public int Omitted { get; private set; }

    public bool IsEmpty => _reported.Count == 0 && Omitted == 0;

    /// <summary>False once full: callers that build the field path first can skip building it.</summary>
    public bool HasRoom => _reported.Count < MaxReported;

    public void Add(string field, string description)
    {
        if (HasRoom)
        {
            _reported.Add(new FieldViolation(field, description));
        }
        else
        {
            Omit(1);
        }
    }

    public void Omit(int count)
    {
        // Saturate rather than wrap: the count only has to be truthful up to "very many".
        Omitted = (int)Math.Min(int.MaxValue, (long)Omitted + count);
    }
}
