using System.Net;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Tests.Infrastructure;

using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>A gateway whose upstream request cannot be built for requests carrying a marker header, as a failing transform would make it.</summary>
public sealed class UnsendableFixture : GatewayFixture
{
    public const string Marker = "x-test-unsendable";

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:Breaker:FailureThreshold"] = "2";
        return new GatewayFactory(settings, services: services => services.AddSingleton<ITransformProvider, UnsendableTransforms>());
    }

    private sealed class UnsendableTransforms : ITransformProvider
    {
        public void ValidateRoute(TransformRouteValidationContext context)
        {
        }

        public void ValidateCluster(TransformClusterValidationContext context)
        {
        }

        public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
            transform.HttpContext.Request.Headers.ContainsKey(Marker) ? throw new InvalidOperationException("cannot build") : ValueTask.CompletedTask);
    }
}

/// <summary>When the gateway cannot send a request, nothing upstream is to blame and nothing is retried.</summary>
public sealed class UnsendableRequestTests(UnsendableFixture gateway) : IClassFixture<UnsendableFixture>
{
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    [Fact]
    public async Task A_request_the_gateway_cannot_send_blames_no_model_and_tries_no_other()
    {
        var key = await gateway.CreateKeyAsync("unsendable");
        for (var i = 0; i < 3; i++)
        {
            using var request = GeminiRequests.Generate(key.Key, model: Flash31);
            request.Headers.Add(UnsendableFixture.Marker, "1");
            using var response = await gateway.Client.SendAsync(request);

            var body = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadGateway, "UNAVAILABLE");
            Assert.Contains("could not send the request", body, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("x-gateway-fallback"));
            Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        }

        // Three failures against a threshold of two would have opened the breaker had they counted.
        using var sendable = GeminiRequests.Generate(key.Key, model: Flash31);
        using var served = await gateway.Client.SendAsync(sendable);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(Flash31, GeminiRequests.Header(served, "x-gateway-model"));
        Assert.False(served.Headers.Contains("x-gateway-fallback"));
    }
}
