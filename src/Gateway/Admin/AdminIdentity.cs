using System.Security.Cryptography;
using System.Text;

using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Admin;

/// <summary>
/// Who the admin token is, as the audit log names it: <c>admin:{Admin:TokenName}</c> when ops named it, else
/// <c>admin:token-</c> and a fingerprint of the token. The fingerprint is a slow salted derivation (PBKDF2, 100 000
/// rounds) cut to 48 bits: it tells two tokens apart across a rotation, and is of no use for guessing the token.
/// </summary>
internal sealed class AdminIdentity(IOptions<AdminOptions> options)
{
    private const int Rounds = 100_000;

    private static readonly byte[] Salt = "routescope-gateway/admin-token-fingerprint"u8.ToArray();

    private readonly Lazy<string> _name = new(() => NameOf(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    public string Name => _name.Value;

    private static string NameOf(AdminOptions admin)
    {
        if (!string.IsNullOrWhiteSpace(admin.TokenName))
        {
            return "admin:" + admin.TokenName;
        }

        var fingerprint = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(admin.Token ?? string.Empty), Salt, Rounds, HashAlgorithmName.SHA256, 6);
        return "admin:token-" + Convert.ToHexStringLower(fingerprint);
    }
}
