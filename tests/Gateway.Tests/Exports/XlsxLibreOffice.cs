using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>LibreOffice Calc, headless (Debian's libreoffice-calc-nogui, which .ci/run installs): opens a workbook as a person would and saves it back as CSV.</summary>
public static class XlsxLibreOffice
{
    /// <summary>The soffice on PATH, or null.</summary>
    public static string? Path { get; } = ToolPath.Find("soffice");

    /// <summary>
    /// The workbook's first sheet as CSV (UTF-8, comma, values as shown, so formats apply), converted in a profile of
    /// its own under <paramref name="workDirectory"/> (parallel runs and a user's LibreOffice do not meet), within a
    /// deadline past which the process tree is killed.
    /// </summary>
    public static async Task<string> ToCsvAsync(string workbook, string workDirectory)
    {
        Assert.True(Path is not null, "soffice is not on PATH (with CI=true this test must run): .ci/run installs libreoffice-calc-nogui.");
        var outDirectory = System.IO.Path.Combine(workDirectory, "csv");
        Directory.CreateDirectory(outDirectory);
        var profile = new Uri(System.IO.Path.Combine(workDirectory, "lo-profile")).AbsoluteUri;
        // Filter options: separator 44 (,), quote 34 ("), charset 76 (UTF-8), line 1, …, "save as shown" true, sheet 1.
        var (exit, output) = await ExternalProcess.RunAsync(Path!,
            ["-env:UserInstallation=" + profile, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1", "--outdir", outDirectory, workbook],
            workDirectory, new Dictionary<string, string> { ["HOME"] = workDirectory }, TimeSpan.FromMinutes(3));
        var csv = Directory.GetFiles(outDirectory, "*.csv");
        Assert.True(exit == 0 && csv.Length == 1, $"soffice exited {exit} with {csv.Length} CSV files:\n{output}");
        return await File.ReadAllTextAsync(csv[0]);
    }
}
