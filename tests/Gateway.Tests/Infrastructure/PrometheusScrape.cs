using System.Globalization;
using System.Text;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// A Prometheus text-format scrape, parsed: every sample with its labels (escapes in label values read as the format
/// says), so tests ask for values and names rather than grep for substrings.
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>The names of every sample, suffixes included (<c>_total</c>, <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    public IReadOnlySet<string> Names => Samples.Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);

    public static async Task<PrometheusScrape> FetchAsync(HttpClient client, string path = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseSample(line));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The samples of one series name whose labels include every given pair.</summary>
    public IEnumerable<PrometheusSample> Series(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(pair => sample.Label(pair.Label) == pair.Value));

    /// <summary>The sum over the samples <see cref="Series"/> selects (0 when none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) => Series(name, labels).Sum(sample => sample.Value);

    private static PrometheusSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq].Trim(',', ' ');
                i = eq + 2; // past ="
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels[label] = value.ToString();
                i++; // past the closing quote
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++; // past }
        }

        var fields = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var number = fields[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}
