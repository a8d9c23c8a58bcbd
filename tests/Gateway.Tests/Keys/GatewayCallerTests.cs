using System.Security.Claims;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Tests.Keys;

/// <summary>The caller is read back from the gateway key's ticket, and only from it.</summary>
public sealed class GatewayCallerTests
{
    [Fact]
    public void The_gateway_keys_identity_is_found_among_merged_ones()
    {
        var other = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "AdminToken");
        var key = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "key_1"),
            new Claim(ClaimTypes.Name, "team-a"),
            new Claim(GatewayKeyDefaults.GroupClaim, "g"),
            new Claim(GatewayKeyDefaults.PrefixClaim, "rsg_abcdefgh"),
        ], GatewayKeyDefaults.Scheme);

        var caller = GatewayCaller.FromPrincipal(new ClaimsPrincipal([other, key]));

        Assert.Equal(new GatewayCaller { KeyId = "key_1", KeyName = "team-a", KeyPrefix = "rsg_abcdefgh", Group = "g" }, caller);
    }

    [Fact]
    public void Any_other_principal_is_no_caller()
    {
        var admin = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "admin"), new Claim(ClaimTypes.Name, "admin")], "AdminToken");
        var unauthenticated = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "key_1"), new Claim(ClaimTypes.Name, "x"),
            new Claim(GatewayKeyDefaults.GroupClaim, "g"), new Claim(GatewayKeyDefaults.PrefixClaim, "rsg_abcdefgh")]);

        Assert.Null(GatewayCaller.FromPrincipal(new ClaimsPrincipal(admin)));
        Assert.Null(GatewayCaller.FromPrincipal(new ClaimsPrincipal(unauthenticated)));
        Assert.Null(GatewayCaller.FromPrincipal(new ClaimsPrincipal()));
    }
}
