using System.Text.RegularExpressions;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Architecture;

/// <summary>
/// The shape of <c>src/Gateway</c> that keeps its middle simple: folders that import each other only one way, one
/// reader of YARP's forwarder errors, a metering step that only meters. Read from the sources, as a reviewer would.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "src", "Gateway");

    [Fact]
    public void The_folders_import_each_other_without_a_cycle()
    {
        var graph = Folders().ToDictionary(folder => folder, folder => Imports(Files(folder)).Where(other => other != folder).ToHashSet(StringComparer.Ordinal));

        Assert.True(graph.Count >= 10, "the folders were not found under " + Source);
        Assert.Null(FindCycle(graph));
    }

    [Fact]
    public void Only_the_attempt_outcome_step_reads_forwarder_errors()
    {
        var readers = AllFiles().Where(file => File.ReadAllText(file).Contains("ForwarderError", StringComparison.Ordinal)).Select(Relative);

        Assert.Equal(["Upstream/AttemptOutcomeMiddleware.cs"], readers);
    }

    [Fact]
    public void Metering_only_meters()
    {
        var file = Path.Combine(Source, "Metering", "MeteringMiddleware.cs");

        Assert.True(Imports([file]).Count <= 3, "MeteringMiddleware imports " + string.Join(", ", Imports([file])));
        Assert.True(File.ReadAllLines(file).Length <= 50, "MeteringMiddleware is no longer a short shim");
    }

    [Fact]
    public void Every_proxy_step_is_conventional_middleware()
    {
        // proxy.Use(lambda) allocates a closure per request and hides a step's dependencies; UseMiddleware<T> does neither.
        var adHoc = AllFiles().Where(file => AdHocStep().IsMatch(File.ReadAllText(file))).Select(Relative);

        Assert.Empty(adHoc);
    }

    private static IEnumerable<string> Folders() => Directory.GetDirectories(Source)
        .Select(Path.GetFileName)
        .OfType<string>()
        .Where(name => name is not ("bin" or "obj" or "Properties"));

    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories);

    private static IEnumerable<string> AllFiles() => Folders().SelectMany(Files).Order(StringComparer.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(Source, file).Replace('\\', '/');

    /// <summary>The gateway folders a set of files names, in using directives or qualified names.</summary>
    private static HashSet<string> Imports(IEnumerable<string> files)
    {
        var folders = Folders().ToHashSet(StringComparer.Ordinal);
        var imported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match match in GatewayName().Matches(File.ReadAllText(file)))
            {
                if (folders.Contains(match.Groups[1].Value))
                {
                    imported.Add(match.Groups[1].Value);
                }
            }
        }

        return imported;
    }

    private static string? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        string? Visit(string folder)
        {
            if (path.Contains(folder))
            {
                return string.Join(" -> ", path.SkipWhile(step => step != folder).Append(folder));
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in graph[folder].Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    [GeneratedRegex(@"\bRoutescope\.Gateway\.(\w+)")]
    private static partial Regex GatewayName();

    [GeneratedRegex(@"\bproxy\.Use\(")]
    private static partial Regex AdHocStep();
}
