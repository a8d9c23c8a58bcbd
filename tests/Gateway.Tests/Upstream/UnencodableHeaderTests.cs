using System.Net;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Upstream;

using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>
/// A gateway whose upstream request carries a header value the HTTP client cannot encode, for requests with a marker:
/// what a client's non-ASCII header would cause if anything let it through to the forwarder.
/// </summary>
public sealed class UnencodableHeaderFixture : GatewayFixture
{
    public const string Marker = "x-test-unencodable";

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:Breaker:FailureThreshold"] = "2";
        return new GatewayFactory(settings, services: services => services.AddSingleton<ITransformProvider, UnencodableTransforms>());
    }

    private sealed class UnencodableTransforms : ITransformProvider
    {
        public void ValidateRoute(TransformRouteValidationContext context)
        {
        }

        public void ValidateCluster(TransformClusterValidationContext context)
        {
        }

        public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
        {
            if (transform.HttpContext.Request.Headers.ContainsKey(Marker))
            {
                transform.ProxyRequest.Headers.TryAddWithoutValidation("x-note", "café");
            }

            return ValueTask.CompletedTask;
        });
    }
}

/// <summary>The HTTP client refusing to send a request's own content is no upstream failure: no breaker counts it.</summary>
public sealed class UnencodableHeaderTests(UnencodableHeaderFixture gateway) : IClassFixture<UnencodableHeaderFixture>
{
    [Fact]
    public async Task A_request_the_http_client_refuses_to_send_blames_no_model()
    {
        var key = await gateway.CreateKeyAsync("unencodable");
        for (var i = 0; i < 3; i++)
        {
            using var request = GeminiRequests.Generate(key.Key);
            request.Headers.Add(UnencodableHeaderFixture.Marker, "1");
            using var response = await gateway.Client.SendAsync(request);

            // The real runtime's exception, through YARP: this pins the message RefusedToSend recognises.
            var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadGateway, "UNAVAILABLE");
            Assert.Contains("could not send the request", message, StringComparison.Ordinal);
            Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        }

        // Three failures against a threshold of two would have opened the breaker had they counted.
        using var sendable = GeminiRequests.Generate(key.Key);
        using var served = await gateway.Client.SendAsync(sendable);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Theory]
    [InlineData(false, nameof(AttemptOutcome.NotSent))]
    [InlineData(true, nameof(AttemptOutcome.ClientGone))]
    public void A_refused_send_is_judged_not_sent_unless_the_client_left(bool clientAborted, string expected) =>
        Assert.Equal(Enum.Parse<AttemptOutcome>(expected), AttemptOutcomeMiddleware.Classify(ForwarderError.Request, clientAborted, heldBack: false, refusedToSend: true));

    [Fact]
    public void Only_the_http_clients_encoding_refusal_counts_as_refused()
    {
        Assert.True(AttemptOutcomeMiddleware.RefusedToSend(new HttpRequestException(AttemptOutcomeMiddleware.UnencodableHeaderMessage)));
        Assert.True(AttemptOutcomeMiddleware.RefusedToSend(new HttpRequestException("An error occurred while sending the request.", new HttpRequestException(AttemptOutcomeMiddleware.UnencodableHeaderMessage))));
        Assert.False(AttemptOutcomeMiddleware.RefusedToSend(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)")));
        Assert.False(AttemptOutcomeMiddleware.RefusedToSend(null));
    }
}
