using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway as an OS process of its own (<c>dotnet Gateway.dll</c> from the test output), for what an
/// in-process host cannot show: <c>kill -9</c>, SIGTERM, a restart on the same data directory. It runs from the
/// repository root, as <c>dotnet run</c> does, so the content root and with it the ops-edited appsettings.json are
/// the real ones; settings come from the environment, the ASP.NET way. Its stdout and stderr are kept for failure
/// messages and log checks. Disposing kills it if it still runs.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string AdminToken = "admin-token-process-4f1e2d3c";

    // Serilog's compact JSON writes an event id as {"EventId":{"Id":6007,"Name":"…"}}.
    private const string EventIdNumber = "Id";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // Inherited variables that would steer the child's configuration (a developer's shell, a CI job): the child gets
    // exactly the settings the test names. "__" is the ASP.NET spelling of a configuration section; DOTNET_ variables
    // other than these few are runtime knobs, which the child may share.
    private static readonly string[] InheritedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS", "DOTNET_CONTENTROOT", "DOTNET_SHUTDOWNTIMEOUTSECONDS", "GATEWAY_", "ROUTESCOPE_", "OTEL_"];

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _contentRoot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventHandler _killAtExit;

    private GatewayProcess(Process process)
    {
        _process = process;
        // A test run that ends abruptly must not leave a gateway behind: it is ended by its id, as in DisposeAsync.
        _killAtExit = (_, _) => KillQuietly();
        AppDomain.CurrentDomain.ProcessExit += _killAtExit;
    }

    public int Id => _process.Id;

    /// <summary>Where it listens, e.g. http://127.0.0.1:40123 (a port the kernel picked, read from its log).</summary>
    public Uri Address { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line it printed so far (Serilog JSON lines on stdout, anything on stderr).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>
    /// Starts the gateway with these environment variables (besides a Production environment, a loopback port of the
    /// kernel's choice and the admin token) and returns once <c>/readyz</c> answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var name in start.Environment.Keys.ToArray())
        {
            if (name.Contains("__", StringComparison.Ordinal) || name.Equals("Urls", StringComparison.OrdinalIgnoreCase)
                || InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                start.Environment.Remove(name);
            }
        }

        // Not Development: no developer exception pages or user secrets, the configuration ops run.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // A loopback port of the kernel's choice, unless the test sets the platform's own listen variables.
        if (!environment.ContainsKey("ASPNETCORE_URLS") && !environment.ContainsKey("ASPNETCORE_HTTP_PORTS"))
        {
            start.Environment["Urls"] = "http://127.0.0.1:0";
        }

        start.Environment["GATEWAY_ADMIN_TOKEN"] = AdminToken;
        // Outside Development the gateway refuses to start without an upstream key: a test that names neither a key
        // nor GATEWAY_DEMO gets the demo upstream, explicitly.
        if (!environment.ContainsKey("ROUTESCOPE_API_KEY") && !environment.ContainsKey("GATEWAY_DEMO"))
        {
            start.Environment["GATEWAY_DEMO"] = "true";
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var gateway = new GatewayProcess(new Process { StartInfo = start });
        try
        {
            await gateway.StartAndWaitReadyAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client addressed at the gateway, without credentials; the caller disposes it.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) => new(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = Address,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Creates a gateway key through the admin API and returns the full key.</summary>
    public async Task<string> CreateKeyAsync(string name)
    {
        using var admin = CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/admin/keys", new { name });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /admin/keys answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary><c>/readyz</c> as a probe sees it: status and body; 0 when it could not be asked.</summary>
    public async Task<(int Status, string Body)> ReadinessAsync()
    {
        using var client = CreateClient(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            return (0, exception.GetType().Name);
        }
    }

    /// <summary>The lines logged with this event id (see Observability/EventIds).</summary>
    public IReadOnlyList<JsonElement> Events(int eventId)
    {
        var events = new List<JsonElement>();
        foreach (var line in Lines)
        {
            if (!line.Contains("\"Id\":" + eventId, StringComparison.Ordinal) || Parse(line) is not { } json)
            {
                continue;
            }

            using (json)
            {
                if (json.RootElement.TryGetProperty("EventId", out var id) && id.TryGetProperty(EventIdNumber, out var number) && number.GetInt32() == eventId)
                {
                    events.Add(json.RootElement.Clone());
                }
            }
        }

        return events;
    }

    /// <summary>The last lines it printed, for failure messages.</summary>
    public string Tail(int count = 40)
    {
        var lines = Lines;
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)));
    }

    /// <summary><c>kill -9</c>: no shutdown code runs, nothing is flushed that the kernel does not already hold.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM: the graceful stop an orchestrator asks for.</summary>
    public void Terminate() => UnixSignals.Terminate(_process.Id);

    /// <summary>Waits for the process to end; fails with its output if it is still running after the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The gateway (pid {Id}) was still running {timeout} later:\n{Tail()}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _killAtExit;
        KillQuietly();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
            {
                // Never started, or the kernel is slow to reap it: nothing more a test can do.
            }
        }

        _process.Dispose();
    }

    private async Task StartAndWaitReadyAsync()
    {
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        var exited = _process.WaitForExitAsync();
        var started = Task.WhenAll(_listening.Task, _contentRoot.Task);
        if (await Task.WhenAny(started, exited, Task.Delay(StartTimeout)) != started)
        {
            throw new Xunit.Sdk.XunitException($"The gateway did not start listening ({(_process.HasExited ? "exited with " + _process.ExitCode : "timed out")}):\n{Tail()}");
        }

        Address = await _listening.Task;
        // Proves the process runs on the configuration under test: the repository root's appsettings.json.
        var contentRoot = await _contentRoot.Task;
        Assert.True(string.Equals(contentRoot.TrimEnd('/'), RepositoryRoot.Path.TrimEnd('/'), StringComparison.Ordinal),
            $"The gateway's content root is '{contentRoot}', not the repository root '{RepositoryRoot.Path}'.");
        while (true)
        {
            var (status, body) = await ReadinessAsync();
            if (status == 200)
            {
                return;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"The gateway did not become ready (last /readyz: {status} {body}):\n{Tail()}");
            }

            await Task.Delay(50);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        // The lifetime's own lines: where Kestrel bound port 0, and which content root the host settled on.
        if ((_listening.Task.IsCompleted && _contentRoot.Task.IsCompleted) || !line.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal)
            || Parse(line) is not { } json)
        {
            return;
        }

        using (json)
        {
            if (json.RootElement.TryGetProperty("ContentRoot", out var root) && root.GetString() is { } path)
            {
                _contentRoot.TrySetResult(path);
            }

            if (json.RootElement.TryGetProperty("address", out var address) && address.GetString() is { } bound)
            {
                // A wildcard binding (ASPNETCORE_HTTP_PORTS listens on [::]) is reached on the IPv4 loopback.
                var uri = new UriBuilder(bound.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal));
                uri.Host = uri.Host is "[::]" or "::" or "0.0.0.0" ? "127.0.0.1" : uri.Host;
                _listening.TrySetResult(uri.Uri);
            }
        }
    }

    /// <summary>A log line as JSON; null for anything else (stderr text, a line torn by the kill).</summary>
    private static JsonDocument? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Not started, or already gone.
        }
    }

    internal static string DotnetHost()
    {
        // The host that runs the tests runs the gateway too, so both use the same runtime.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
