using System.Buffers;
using System.Text;

using CsCheck;

using FluentValidation;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Reading;
using Routescope.Gateway.Inspection.Validation;
using Routescope.Gateway.Tests.Infrastructure;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>Whatever bytes a client sends, inspection answers with a verdict, never an exception or a 5xx.</summary>
public sealed class InspectionPropertyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string Valid = Generate(aspectRatio: "16:9", modalities: ["TEXT", "IMAGE"], candidateCount: 1,
        images: new Image("image/png", WithSignature(Png, 90)));

    private const string JsonSignificant = "{}[]\":,\\ 0n-tfe";

    private static readonly Gen<byte[]> Mutated =
        Gen.Int[0, 4].SelectMany(kind => kind switch
        {
            // truncate
            0 => Gen.Int[0, Valid.Length].Select(n => Encoding.UTF8.GetBytes(Valid[..n])),
            // overwrite a byte with anything
            1 => Gen.Int[0, Valid.Length - 1].Select(Gen.Byte, (at, b) => Replace(Encoding.UTF8.GetBytes(Valid), at, b)),
            // overwrite a byte with a JSON-significant character
            2 => Gen.Int[0, Valid.Length - 1].Select(Gen.Int[0, JsonSignificant.Length - 1], (at, c) => Replace(Encoding.UTF8.GetBytes(Valid), at, (byte)JsonSignificant[c])),
            // splice a random chunk in
            3 => Gen.Int[0, Valid.Length].Select(Gen.Byte.Array[0, 20], (at, junk) => Encoding.UTF8.GetBytes(Valid)[..at].Concat(junk).Concat(Encoding.UTF8.GetBytes(Valid)[at..]).ToArray()),
            // plain noise
            _ => Gen.Byte.Array[0, 200],
        });

    [Fact]
    public void Mutated_and_random_bodies_never_throw_in_reading_or_validation()
    {
        var validator = gateway.Factory.Services.GetRequiredService<IValidator<InspectionSubject>>();
        var catalog = gateway.Factory.Services.GetRequiredService<ModelCatalog>();
        var models = new[] { "gemini-2.5-flash-image", "gemini-3-pro-image-preview", "gemini-3.1-flash-image-preview", "gpt-4o-mini" };

        Mutated.Select(Gen.Int[0, models.Length - 1], Gen.Int[1, 64]).Sample((body, model, segment) =>
        {
            var shape = GenerateRequestReader.Read(GenerateRequestReaderTests.Segmented(body, segment), 32, GenerateRequestReaderTests.KeptImages);
            var subject = new InspectionSubject { Model = models[model], Operation = GeminiOperation.GenerateContent, Shape = shape, Capabilities = catalog.Find(models[model]) };
            var result = validator.Validate(subject);
            // Whatever the bytes, every problem the reader found reaches the client, and none lets the request through.
            Assert.All(shape.ReadProblems, problem => Assert.Contains(result.Errors, error => error.PropertyName == problem.Field && error.ErrorMessage == problem.Description));
            Assert.True(shape.ReadProblems.Count == 0 || !result.IsValid);
            Assert.All(result.Errors, error => Assert.False(string.IsNullOrEmpty(error.PropertyName)));
        }, iter: 3000);
    }

    [Fact]
    public async Task Mutated_bodies_through_the_gateway_never_get_a_5xx()
    {
        var key = await gateway.CreateKeyAsync("fuzz");
        var bodies = Mutated.Array[60].Single();
        foreach (var body in bodies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent") { Content = new ByteArrayContent(body) };
            GeminiRequests.WithIdentity(request, key.Key);
            using var response = await gateway.Client.SendAsync(request);

            Assert.True((int)response.StatusCode is 200 or 400, $"{(int)response.StatusCode} for {Convert.ToBase64String(body)}");
            if ((int)response.StatusCode == 400)
            {
                GeminiErrorAssert.IsError(await response.Content.ReadAsStringAsync(), 400, "INVALID_ARGUMENT");
                Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
            }
        }
    }

    private static byte[] Replace(byte[] data, int at, byte value)
    {
        data[at] = value;
        return data;
    }
}
