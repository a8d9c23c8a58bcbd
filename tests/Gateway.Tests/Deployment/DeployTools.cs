using System.Diagnostics;
using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Deployment;

/// <summary>
/// The command-line tools the deployment files are checked with: <c>kubectl kustomize</c> renders the Kubernetes
/// manifests, <c>docker-compose config</c> parses the compose file, and tests/manifests (Node.js) validates the
/// rendered objects against the Kubernetes schemas and turns YAML into JSON for the assertions.
/// </summary>
public static class DeployTools
{
    public static readonly string ManifestsDirectory = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "manifests");

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs a tool from the repository root; stdout (the rendered YAML) is kept apart from stderr (its warnings).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var path = ToolPath.Find(tool);
        Assert.True(path is not null, $"{tool} is not on PATH (with CI=true these tests must run): .ci/run installs it.");
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // null removes a variable: the test runner's own ROUTESCOPE_API_KEY must not decide what a test sees.
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {Timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the schema validator over a YAML stream; exit 0 only when every object is valid.</summary>
    public static async Task<(int Exit, string Output)> ValidateAsync(string yaml)
    {
        await EnsureInstalledAsync();
        using var file = new TempFile(yaml);
        return await ExternalProcess.RunAsync("node", ["validate.mjs", file.Path], ManifestsDirectory, null, Timeout);
    }

    /// <summary>The documents of a YAML stream, as JSON.</summary>
    public static async Task<JsonElement[]> ParseYamlAsync(string yaml)
    {
        await EnsureInstalledAsync();
        using var file = new TempFile(yaml);
        var (exit, output) = await ExternalProcess.RunAsync("node", ["yaml-to-json.mjs", file.Path], ManifestsDirectory, null, Timeout);
        Assert.True(exit == 0, "yaml-to-json failed:\n" + output);
        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.EnumerateArray().Select(document => document.Clone())];
    }

    /// <summary>.ci/run installs the validator; a developer's first local run installs it here, from the committed lock file.</summary>
    private static async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(System.IO.Path.Combine(ManifestsDirectory, "node_modules", "kubernetes-models")))
        {
            return;
        }

        var (exit, output) = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ManifestsDirectory, null, Timeout);
        Assert.True(exit == 0, "npm ci in tests/manifests failed:\n" + output);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rsg-deploy-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
