using System.Runtime.InteropServices;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Signals .NET has no managed API for sending: <see cref="System.Diagnostics.Process.Kill()"/> is SIGKILL, and a
/// graceful stop, as an orchestrator asks for it, is SIGTERM.
/// </summary>
internal static class UnixSignals
{
    private const int SigTerm = 15;

    public static void Terminate(int processId)
    {
        if (Kill(processId, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    // DllImport rather than LibraryImport: two ints need no marshalling code, and the generated kind needs unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int processId, int signal);
}
