using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Fallback;

namespace Routescope.Gateway.Tests.Fallback;

public sealed class FallbackOptionsTests
{
    [Fact]
    public void Without_configuration_the_default_retryable_statuses_apply()
    {
        Assert.Equal([404, 429, 500, 502, 503, 504], Bind([]).RetryableStatuses);
    }

    [Fact]
    public void Configured_statuses_replace_the_defaults()
    {
        var options = Bind(new() { ["Fallback:RetryableStatuses:0"] = "503", ["Fallback:RetryableStatuses:1"] = "529" });

        Assert.Equal([503, 529], options.RetryableStatuses);
    }

    [Theory]
    [InlineData("400")]
    [InlineData("401")]
    [InlineData("403")]
    [InlineData("200")]
    public void Caller_errors_and_successes_cannot_be_made_retryable(string status)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Fallback:RetryableStatuses:0"] = status }));

        Assert.Contains("Fallback:RetryableStatuses", exception.Message, StringComparison.Ordinal);
    }

    private static FallbackOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddGatewayFallback(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<FallbackOptions>>().Value;
    }
}
