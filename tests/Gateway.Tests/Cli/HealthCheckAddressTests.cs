using Microsoft.Extensions.Configuration;

using Routescope.Gateway.Cli;

namespace Routescope.Gateway.Tests.Cli;

/// <summary>The address <c>healthcheck</c> probes follows the listen settings the way the server reads them.</summary>
public sealed class HealthCheckAddressTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8080/healthz")]
    [InlineData(null, "9000", "http://127.0.0.1:9000/healthz")]
    [InlineData(null, "9000;9001", "http://127.0.0.1:9000/healthz")]
    [InlineData("http://+:7000", "9000", "http://127.0.0.1:7000/healthz")]
    [InlineData("http://*:7000", null, "http://127.0.0.1:7000/healthz")]
    [InlineData("http://0.0.0.0:7000", null, "http://127.0.0.1:7000/healthz")]
    [InlineData("http://[::]:7000", null, "http://127.0.0.1:7000/healthz")]
    [InlineData("http://localhost:7000/", null, "http://localhost:7000/healthz")]
    [InlineData("https://*:7443;http://10.1.2.3:7000", null, "http://10.1.2.3:7000/healthz")]
    public void Follows_Urls_then_HTTP_PORTS_then_the_default(string? urls, string? httpPorts, string expected)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls, ["http_ports"] = httpPorts };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var (address, problem) = HealthCheckAddress.Resolve(configuration);

        Assert.Null(problem);
        Assert.Equal(new Uri(expected), address);
    }

    [Fact]
    public void Kestrel_endpoints_decide_over_the_ports_as_they_do_for_the_server()
    {
        // The image sets ASPNETCORE_HTTP_PORTS=8080; Kestrel:Endpoints override it, so the probe must follow them.
        var settings = new Dictionary<string, string?>
        {
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Tls:Url"] = "https://*:7443",
            ["Kestrel:Endpoints:Plain:Url"] = "http://0.0.0.0:7080",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var (address, problem) = HealthCheckAddress.Resolve(configuration);

        Assert.Null(problem);
        Assert.Equal(new Uri("http://127.0.0.1:7080/healthz"), address);
    }

    [Fact]
    public void A_kernel_chosen_port_cannot_be_probed_and_says_to_pass_an_address()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" }).Build();

        var (address, problem) = HealthCheckAddress.Resolve(configuration);

        Assert.Null(address);
        Assert.Contains("--url", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/healthz")]
    [InlineData("http://127.0.0.1:5000/healthz", "http://127.0.0.1:5000/healthz")]
    [InlineData("ftp://127.0.0.1:5000", null)]
    [InlineData("127.0.0.1:5000", null)]
    public void An_explicit_url_is_a_base_address_or_the_full_one(string url, string? expected)
    {
        var (address, problem) = HealthCheckAddress.FromOption(url);

        Assert.Equal(expected is null ? null : new Uri(expected), address);
        Assert.Equal(expected is null, problem is not null);
    }
}
