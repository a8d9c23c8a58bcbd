using Microsoft.AspNetCore.Http;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Tests.Keys;

public sealed class GatewayKeyFormatTests
{
    [Fact]
    public void Keys_carry_256_random_bits_behind_a_recognisable_prefix()
    {
        var (key, prefix) = GatewayKeyFormat.Generate();

        Assert.StartsWith("rsg_", key, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(ToBase64(key["rsg_".Length..])).Length);
        Assert.True(GatewayKeyFormat.IsWellFormed(key));
        Assert.Equal(key[..12], prefix);
    }

    [Fact]
    public void Keys_do_not_repeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => GatewayKeyFormat.Generate().Key).ToHashSet();
        Assert.Equal(1000, keys.Count);
    }

    [Fact]
    public void The_stored_hash_is_stable_and_reveals_nothing_of_the_key()
    {
        var (key, _) = GatewayKeyFormat.Generate();
        var hash = GatewayKeyFormat.Hash(key);

        Assert.Equal(hash, GatewayKeyFormat.Hash(key));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain(key[4..12], hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, GatewayKeyFormat.Hash(key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
    }

    [Theory]
    [InlineData("")]
    [InlineData("rsg_")]
    [InlineData("sk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("rsg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("rsg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // one too long
    [InlineData("rsg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A")]
    public void Malformed_keys_are_recognised_without_a_lookup(string key) => Assert.False(GatewayKeyFormat.IsWellFormed(key));

    [Theory]
    [InlineData("Bearer rsg_x", null, "rsg_x")]
    [InlineData("bearer rsg_x", null, "rsg_x")]
    [InlineData(null, "rsg_y", "rsg_y")]
    [InlineData("Bearer rsg_z", "rsg_z", "rsg_z")]
    [InlineData(null, null, null)]
    public void Credentials_are_read_from_either_header(string? authorization, string? googKey, string? expected)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (authorization is not null)
        {
            headers.Authorization = authorization;
        }

        if (googKey is not null)
        {
            headers["x-goog-api-key"] = googKey;
        }

        var (key, problem) = GatewayKeyAuthenticationHandler.ReadCredential(headers);

        Assert.Null(problem);
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("Basic abc", null)]
    [InlineData("Bearer rsg_a", "rsg_b")]
    public void Unusable_credentials_are_named(string? authorization, string? googKey)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.Authorization = authorization;
        if (googKey is not null)
        {
            headers["x-goog-api-key"] = googKey;
        }

        var (key, problem) = GatewayKeyAuthenticationHandler.ReadCredential(headers);

        Assert.Null(key);
        Assert.NotNull(problem);
    }

    private static string ToBase64(string base64Url)
    {
        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        return padded + new string('=', (4 - (padded.Length % 4)) % 4);
    }
}
