using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Validates with the cached JWKS and, when the token's kid is unknown, once more after a refetch.
/// A token that validated is remembered (keyed by the token string) until it expires, so a client's
/// next calls with the same token skip the signature check and claim parsing: a bounded cache, valid
/// only with the same key set (a JWKS refresh invalidates it) and never past the token's own expiry.
/// One handler serves one scheme, whose validation parameters are fixed, so the token alone is the key.
/// </summary>
internal sealed class JwksTokenHandler : JsonWebTokenHandler
{
    /// <summary>Most tokens remembered; beyond it, expired entries are swept, and if that is not enough the cache starts over.</summary>
    public const int MaxCachedTokens = 10_000;

    private readonly ISigningKeys _cache;
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    public JwksTokenHandler(ISigningKeys cache)
    {
        _cache = cache;
        // Keep "sub" and "roles" as issued instead of mapping them to long WS-* claim types.
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var keys = await _cache.GetKeysAsync(CancellationToken.None);
        if (_validated.TryGetValue(token, out var known))
        {
            if (ReferenceEquals(known.Keys, keys) && DateTime.UtcNow < known.ValidTo)
            {
                // A fresh identity per request: handlers and middleware may add claims to it.
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = known.Identity.Clone(),
                    SecurityToken = known.Token,
                    Issuer = known.Issuer,
                    TokenType = known.TokenType,
                };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, WithKeys(validationParameters, keys));
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException)
        {
            Remember(token, result, keys);
            return result;
        }

        var refreshed = await _cache.RefreshAsync(keys, CancellationToken.None);
        if (ReferenceEquals(refreshed, keys))
        {
            return result;
        }

        result = await base.ValidateTokenAsync(token, WithKeys(validationParameters, refreshed));
        Remember(token, result, refreshed);
        return result;
    }

    private void Remember(string token, TokenValidationResult result, IReadOnlyList<SecurityKey> keys)
    {
        // Only tokens still inside their own lifetime: one accepted within the clock skew is checked every time.
        if (!result.IsValid || result.SecurityToken is not { } securityToken || securityToken.ValidTo <= DateTime.UtcNow
            || result.ClaimsIdentity is not { } identity)
        {
            return;
        }

        if (_validated.Count >= MaxCachedTokens)
        {
            var now = DateTime.UtcNow;
            foreach (var (cachedToken, entry) in _validated)
            {
                if (entry.ValidTo <= now)
                {
                    _validated.TryRemove(cachedToken, out _);
                }
            }

            if (_validated.Count >= MaxCachedTokens)
            {
                _validated.Clear();
            }
        }

        _validated[token] = new Validated(identity.Clone(), securityToken, result.Issuer, result.TokenType, keys, securityToken.ValidTo);
    }

    private static TokenValidationParameters WithKeys(TokenValidationParameters parameters, IReadOnlyList<SecurityKey> keys)
    {
        var withKeys = parameters.Clone();
        withKeys.IssuerSigningKeys = keys;
        return withKeys;
    }

    private sealed record Validated(
        ClaimsIdentity Identity,
        SecurityToken Token,
        string? Issuer,
        string? TokenType,
        IReadOnlyList<SecurityKey> Keys,
        DateTime ValidTo);
}
