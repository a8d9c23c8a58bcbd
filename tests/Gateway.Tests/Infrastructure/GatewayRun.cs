using System.Diagnostics;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Runs <c>dotnet Gateway.dll</c> to its exit, for what ends the process (a refused start, a command): from the
/// repository root, in Production unless told otherwise, with only the settings the test names (as
/// <see cref="GatewayProcess"/>), bounded in time and killed by its id if it overruns.
/// </summary>
public static class GatewayRun
{
    private static readonly string[] InheritedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS", "GATEWAY_", "ROUTESCOPE_", "OTEL_", "ConnectionStrings"];

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(GatewayProcess.DotnetHost())
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToArray())
        {
            if (name.Contains("__", StringComparison.Ordinal) || name.Equals("Urls", StringComparison.OrdinalIgnoreCase)
                || InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(bound.Token);
        var stderr = process.StandardError.ReadToEndAsync(bound.Token);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new Xunit.Sdk.XunitException($"The gateway (pid {process.Id}) did not exit within 60 s.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
