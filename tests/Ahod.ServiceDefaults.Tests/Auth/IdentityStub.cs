using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults.Tests.Auth;

/// <summary>A real Identity stand-in: serves /.well-known/jwks.json and signs tokens with the key it publishes.</summary>
internal sealed class IdentityStub : IAsyncDisposable
{
    private readonly KestrelApp _app;
    private volatile RsaSecurityKey _signingKey;
    private int _jwksHits;

    private IdentityStub(KestrelApp app, RsaSecurityKey signingKey)
    {
        _app = app;
        _signingKey = signingKey;
    }

    public Uri BaseAddress => _app.BaseAddress;

    public int JwksHits => Volatile.Read(ref _jwksHits);

    public static async Task<IdentityStub> StartAsync()
    {
        IdentityStub? stub = null;
        var app = await KestrelApp.StartAsync(web => web.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref stub!._jwksHits);
            return Results.Text(stub.Jwks(), "application/json");
        }));
        stub = new IdentityStub(app, NewKey("key-1"));
        return stub;
    }

    /// <summary>Identity rotated its key: the JWKS now publishes only the new one.</summary>
    public void RotateKey(string kid) => _signingKey = NewKey(kid);

    public string IssueToken(
        Guid userId,
        string[]? roles = null,
        string issuer = "ahod-identity",
        string audience = "ahod",
        DateTime? expires = null,
        SigningCredentials? credentials = null)
    {
        // Every Identity token names its session (sid); none of these sessions is ever revoked.
        var claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["sid"] = Guid.NewGuid().ToString() };
        if (roles is not null)
        {
            claims["roles"] = roles;
        }

        var notBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = credentials ?? new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string Jwks()
    {
        var key = _signingKey;
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = "RS256",
                    kid = key.KeyId,
                    n = Base64UrlEncoder.Encode(parameters.Modulus),
                    e = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        });
    }

    private static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };
}
