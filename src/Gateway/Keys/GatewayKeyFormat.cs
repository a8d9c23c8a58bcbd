using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Gateway keys are <c>rsg_</c> followed by 32 random bytes in base64url (43 characters): 256 bits of entropy and a
/// prefix that secret scanners and people recognise.
/// </summary>
internal static class GatewayKeyFormat
{
    public const string Marker = "rsg_";
    public const int RandomBytes = 32;
    public const int VisibleRandomChars = 8;

    private static readonly int EncodedLength = Base64Url.GetEncodedLength(RandomBytes);

    /// <summary>Length of a well-formed key.</summary>
    public static int KeyLength => Marker.Length + EncodedLength;

    /// <summary>A new key and its display prefix.</summary>
    public static (string Key, string Prefix) Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        var key = Marker + Base64Url.EncodeToString(random);
        return (key, PrefixOf(key));
    }

    public static string PrefixOf(string key) => key[..(Marker.Length + VisibleRandomChars)];

    /// <summary>Cheap shape check that keeps garbage from reaching the store.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != KeyLength || !key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key[Marker.Length..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// SHA-256, hex. A fast hash is right here: the key carries 256 random bits, so there is nothing for a slow,
    /// salted password hash to protect against, and every request pays for the lookup.
    /// </summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[KeyLength * 3];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>A short opaque identifier for admin operations (<c>key_</c> + 16 hex digits).</summary>
    public static string NewId()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return "key_" + Convert.ToHexStringLower(random);
    }
}
