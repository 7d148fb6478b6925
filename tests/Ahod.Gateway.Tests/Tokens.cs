using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.Gateway.Tests;

/// <summary>Access tokens that differ from Identity's in exactly one way.</summary>
internal static class Tokens
{
    public static async Task<string> IdentityKeyIdAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var jwks = await client.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json", cancellationToken);
        return jwks!["keys"]!.AsArray()[0]!["kid"]!.GetValue<string>();
    }

    public static string Mint(
        System.Security.Cryptography.ECDsa key, string keyId, string subject,
        string issuer = "ahod-identity", string audience = "ahod", DateTime? expires = null)
    {
        var expiresAt = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            // A session of its own (sid), never revoked: only what the test changes makes the gateway refuse it.
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("roles", "member"), new Claim("sid", Guid.NewGuid().ToString())]),
            NotBefore = expiresAt.AddMinutes(-20),
            IssuedAt = expiresAt.AddMinutes(-20),
            Expires = expiresAt,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The same claims with the header swapped for {"alg":"none"} and the signature dropped.</summary>
    public static string WithAlgNone(string token)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        return $"{header}.{parts[1]}.";
    }
}
