namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// A test that needs LibreOffice: skipped where soffice is missing, except in CI (<c>CI=true</c>, as .ci/run sets),
/// where it runs and so fails without it: the check that a spreadsheet application reads the workbook right must not
/// quietly stop running.
/// </summary>
public sealed class XlsxLibreOfficeFactAttribute : FactAttribute
{
    public XlsxLibreOfficeFactAttribute()
    {
        if (XlsxLibreOffice.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            Skip = "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui (apt-get install -y --no-install-recommends libreoffice-calc-nogui).";
        }
    }
}
