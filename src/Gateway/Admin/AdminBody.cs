using System.Buffers;

using FluentValidation;

using Microsoft.AspNetCore.Http.Features;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>Reading admin request bodies: small, bounded, and checked before anything changes.</summary>
internal static class AdminBody
{
    /// <summary>Admin bodies are tiny; anything bigger is a mistake or an attack.</summary>
    public const long MaxBytes = 64 * 1024;

    /// <summary>Lets Kestrel refuse a larger body as it arrives (where the server allows changing the limit).</summary>
    public static void Limit(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }
    }

    /// <summary>The whole body, or null when it is longer than <see cref="MaxBytes"/> (checked here too, whatever the server's limit).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        Limit(http);
        var reader = http.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>A policy body, type- and value-checked: the patch, or the error to answer with (nothing changed).</summary>
    public static async Task<(KeyPolicyPatch? Patch, IResult? Error)> ReadPolicyPatchAsync(HttpContext http, IValidator<KeyPolicy> validator, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, TooLarge());
        }

        var (patch, problem) = KeyPolicyPatchReader.Read(body);
        if (patch is null)
        {
            return (null, GeminiError.Result(StatusCodes.Status400BadRequest, problem!));
        }

        var validation = await validator.ValidateAsync(patch.Values, cancellationToken);
        return validation.IsValid ? (patch, null) : (null, Invalid(validation));
    }

    /// <summary>
    /// A <c>POST /admin/keys</c> body: <c>name</c>, <c>group</c> and the policy fields, read by the reader a PATCH uses
    /// (so unknown fields, a field given twice, a time without an offset are refused alike) and value-checked: the
    /// request, or the error to answer with (nothing created).
    /// </summary>
    public static async Task<(CreateKeyRequest? Request, IResult? Error)> ReadCreateKeyAsync(HttpContext http, IValidator<CreateKeyRequest> validator, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, TooLarge());
        }

        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        var (patch, problem) = KeyPolicyPatchReader.Read(body, CreateKeyRequest.TextFields, texts);
        if (patch is null)
        {
            return (null, GeminiError.Result(StatusCodes.Status400BadRequest, problem!));
        }

        var request = CreateKeyRequest.From(texts.GetValueOrDefault(CreateKeyRequest.NameField), texts.GetValueOrDefault(CreateKeyRequest.GroupField), patch.Values);
        var validation = await validator.ValidateAsync(request, cancellationToken);
        return validation.IsValid ? (request, null) : (null, Invalid(validation));
    }

    private static IResult TooLarge() =>
        GeminiError.Result(StatusCodes.Status413PayloadTooLarge, $"The request could not be read: the body is larger than the admin API accepts ({MaxBytes / 1024} KiB).");

    /// <summary>A 400 listing every failed rule (each message names its field).</summary>
    public static IResult Invalid(FluentValidation.Results.ValidationResult validation) =>
        GeminiError.Result(StatusCodes.Status400BadRequest, string.Join("; ", validation.Errors.Select(error => error.ErrorMessage)));
}
