using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>The README's data dictionary is finance's reference: it must name every exported column, under both its names.</summary>
public sealed class DataDictionaryTests
{
    private static readonly string Dictionary = Section(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")), "### Data dictionary");

    [Fact]
    public void Every_per_record_column_is_in_the_data_dictionary()
    {
        Assert.All(RecordColumns.All, column => Assert.Contains($"| `{column.CsvName}` | `{column.JsonName}` |", Dictionary, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_grouped_column_is_in_the_data_dictionary()
    {
        Assert.All(AggregateColumns.All, column => Assert.Contains($"| `{column.CsvName}` | `{column.JsonName}` |", Dictionary, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_column_has_a_description_of_its_own()
    {
        Assert.All(RecordColumns.All, column => Assert.False(string.IsNullOrWhiteSpace(column.Description), column.CsvName));
        Assert.All(AggregateColumns.All, column => Assert.False(string.IsNullOrWhiteSpace(column.Description), column.CsvName));
    }

    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}'");
        var end = readme.IndexOf("\n## ", start, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }
}
