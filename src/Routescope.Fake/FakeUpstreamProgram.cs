using System.Globalization;
using System.Runtime.InteropServices;

namespace Routescope.Fake;

/// <summary>Runs the fake upstream on its own, for the benchmark harness and manual experiments.</summary>
public static class FakeUpstreamProgram
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8090;
        await using var fake = await FakeUpstream.StartAsync(new FakeUpstreamOptions
        {
            Port = port,
            ApiKey = Environment.GetEnvironmentVariable("FAKE_UPSTREAM_API_KEY"),
        });
        await Console.Out.WriteLineAsync($"fake Routescope upstream listening on {fake.BaseAddress}");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        // SIGTERM (kill, docker stop, the benchmark's cleanup) must end the process; ProcessExit alone did not.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task;
        return 0;
    }
}
