using Ahod.Identity.Data;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.Identity.Tokens;

/// <summary>Mints the 15-minute access tokens every service validates against the JWKS.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<JwtSettings> settings, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>A token of the session <paramref name="sessionId"/> (the refresh-token family): it ends when the family is revoked.</summary>
    public (string Token, int ExpiresIn) Issue(User user, Guid sessionId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Value.Issuer,
            Audience = settings.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = keys.SigningCredentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = user.Id.ToString(),
                ["jti"] = Guid.CreateVersion7().ToString(),
                [SessionRevocation.SessionClaim] = sessionId.ToString(),
                ["roles"] = user.Roles.ToArray(),
                // Other services refuse to move money for unverified users; they read it from here.
                ["email_verified"] = user.EmailVerified,
            },
        });
        return (token, (int)Lifetime.TotalSeconds);
    }
}
