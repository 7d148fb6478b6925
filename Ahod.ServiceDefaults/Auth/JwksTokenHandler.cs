using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults;

/// <summary>Validates with the cached JWKS and, when the token's kid is unknown, once more after a refetch.</summary>
internal sealed class JwksTokenHandler : JsonWebTokenHandler
{
    private readonly JwksCache _cache;

    public JwksTokenHandler(JwksCache cache)
    {
        _cache = cache;
        // Keep "sub" and "roles" as issued instead of mapping them to long WS-* claim types.
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var keys = await _cache.GetKeysAsync(CancellationToken.None);
        var result = await base.ValidateTokenAsync(token, WithKeys(validationParameters, keys));
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException)
        {
            return result;
        }

        var refreshed = await _cache.RefreshAsync(keys, CancellationToken.None);
        return ReferenceEquals(refreshed, keys)
            ? result
            : await base.ValidateTokenAsync(token, WithKeys(validationParameters, refreshed));
    }

    private static TokenValidationParameters WithKeys(TokenValidationParameters parameters, IReadOnlyList<SecurityKey> keys)
    {
        var withKeys = parameters.Clone();
        withKeys.IssuerSigningKeys = keys;
        return withKeys;
    }
}
