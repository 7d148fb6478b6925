using Microsoft.IdentityModel.Tokens;

namespace Ahod.Identity.Tokens;

public static class JwksEndpoints
{
    public static IEndpointConventionBuilder MapJwksEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/.well-known/jwks.json", GetJwks)
            .AllowAnonymous()
            .WithName("GetJwks")
            .WithTags("Tokens")
            .WithSummary("The public keys that sign access tokens (JWKS)");

    /// <summary>Public halves only (kty, crv, x, y): built field by field so a private parameter can never leak.</summary>
    public static Ok<JsonWebKeySetResponse> GetJwks(SigningKeyStore keys, HttpContext context)
    {
        // Validators cache for an hour and refetch on an unknown kid, so a short cache here is enough.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JsonWebKeySetResponse(keys.PublicKeys.Select(key =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
            return new JwkResponse("EC", jwk.Crv, jwk.X, jwk.Y, key.KeyId, "sig", SigningKeyStore.Algorithm);
        }).ToArray()));
    }
}

public sealed record JsonWebKeySetResponse(IReadOnlyList<JwkResponse> Keys);

public sealed record JwkResponse(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);
