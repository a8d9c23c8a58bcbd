namespace Routescope.Gateway.Observability;

/// <summary>Request ids: the caller's when it is sane, otherwise a new one. Sane means short and log-safe.</summary>
internal static class RequestIds
{
    public const string HeaderName = "x-request-id";
    public const int MaxLength = 128;

    public static bool IsSane(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    public static string New() => Guid.CreateVersion7().ToString("N");
}
