using System.Buffers;
using System.Security.Cryptography;

namespace Routescope.Fake;

/// <summary>Reads a request whole into a <see cref="ReceivedRequest"/>: headers, a hash of the body, and the body when small enough to keep.</summary>
internal static class RequestReader
{
    private const string ModelsPrefix = "/v1beta/models/";

    public static async Task<ReceivedRequest> ReadAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var kept = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long length = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (length <= FakeUpstream.KeptBodyLimit)
                {
                    kept.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var path = context.Request.Path.Value ?? string.Empty;
        string? model = null;
        if (path.StartsWith(ModelsPrefix, StringComparison.Ordinal))
        {
            var rest = path[ModelsPrefix.Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            model = colon < 0 ? rest : rest[..colon];
        }

        return new ReceivedRequest
        {
            Method = context.Request.Method,
            Path = path,
            QueryString = context.Request.QueryString.Value ?? string.Empty,
            Headers = headers,
            BodyLength = length,
            BodySha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            Body = length <= FakeUpstream.KeptBodyLimit ? kept.ToArray() : null,
            Model = model,
        };
    }
}
