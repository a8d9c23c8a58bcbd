using System.Globalization;

namespace Routescope.Fake;

/// <summary>Reads the steering headers of one request, keeping the first complaint for a 400.</summary>
internal sealed class SteeringHeaderReader(ReceivedRequest request)
{
    public string? Error { get; private set; }

    public long? Number(string name, long min, long max)
    {
        if (request.Header(name) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Complain(name, text);
        return null;
    }

    public T? Choice<T>(string name, Func<string, T?> parse)
        where T : struct
    {
        if (request.Header(name) is not { } text)
        {
            return null;
        }

        var value = parse(text.Trim());
        if (value is null)
        {
            Complain(name, text);
        }

        return value;
    }

    public string? Word(string name, Func<string, string?> parse)
    {
        if (request.Header(name) is not { } text)
        {
            return null;
        }

        var value = parse(text.Trim());
        if (value is null)
        {
            Complain(name, text);
        }

        return value;
    }

    /// <summary>A comma-separated set of flags.</summary>
    public T Flags<T>(string name, Func<string, T?> parse)
        where T : struct, Enum
    {
        var flags = 0;
        foreach (var item in (request.Header(name) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (parse(item) is { } flag)
            {
                flags |= Convert.ToInt32(flag, CultureInfo.InvariantCulture);
            }
            else
            {
                Complain(name, item);
            }
        }

        return (T)Enum.ToObject(typeof(T), flags);
    }

    private void Complain(string name, string value) => Error ??= $"The fake upstream cannot read {name}: '{value}'.";
}
