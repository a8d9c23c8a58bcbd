using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

using Serilog.Core;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway on a real loopback Kestrel port, configured through the same settings ops use
/// (the root appsettings.json plus environment-style overrides).
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _services;

    public GatewayFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _time = time;
        _services = services;
        UseKestrel(0);
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>The gateway's address, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot.Path);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        // An in-process host is stopped by the test, not a load balancer: no drain delay, and .NET's own shutdown
        // timeout rather than the 330 s a 4K generation needs. Tests that want either set them.
        builder.UseSetting("Lifecycle:DrainDelay", "00:00:00");
        builder.UseSetting("shutdownTimeoutSeconds", "30");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            if (_time is not null)
            {
                services.AddSingleton(_time);
            }

            _services?.Invoke(services);
        });
    }
}
