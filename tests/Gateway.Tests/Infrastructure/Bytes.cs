using System.Security.Cryptography;

namespace Routescope.Gateway.Tests.Infrastructure;

public static class Bytes
{
    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Reads a response body as bytes, exactly as delivered.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response) => await response.Content.ReadAsByteArrayAsync();
}
