using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Identity's signing keys, fetched from its bare JWKS document and kept for an hour. An unknown kid
/// (Identity rotated its key) refetches at once, but at most once per <see cref="MinimumRefreshInterval"/>
/// so tokens with made-up kids cannot hammer Identity.
/// IdentityModel's ConfigurationManager refreshes in the background, which fails the first request
/// after a rotation; this awaits the refetch so that request succeeds.
/// </summary>
internal sealed class JwksCache(
    IHttpClientFactory httpClientFactory,
    string jwksUrl,
    TimeProvider timeProvider,
    ILogger<JwksCache> logger) : ISigningKeys
{
    public static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SecurityKey>? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastForcedRefresh;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && timeProvider.GetUtcNow() - _fetchedAt < AutomaticRefreshInterval)
        {
            return keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keys is not null && timeProvider.GetUtcNow() - _fetchedAt < AutomaticRefreshInterval)
            {
                return _keys;
            }

            return await FetchAsync(keepOldOnFailure: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Refetches after an unknown kid; returns the keys seen by <paramref name="stale"/>'s caller when throttled.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> RefreshAsync(IReadOnlyList<SecurityKey> stale, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_keys, stale) && _keys is not null)
            {
                return _keys; // another request already refreshed
            }

            var now = timeProvider.GetUtcNow();
            if (_lastForcedRefresh is { } last && now - last < MinimumRefreshInterval)
            {
                return stale;
            }

            _lastForcedRefresh = now;
            return await FetchAsync(keepOldOnFailure: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(bool keepOldOnFailure, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClientFactory.CreateClient(JwtBearerDefaultsExtensions.JwksHttpClientName);
            var document = await client.GetStringAsync(jwksUrl, cancellationToken);
            _keys = new JsonWebKeySet(document).GetSigningKeys().ToArray();
            _fetchedAt = timeProvider.GetUtcNow();
            return _keys;
        }
        catch (Exception ex) when (keepOldOnFailure && _keys is not null && ex is not OperationCanceledException)
        {
            // Identity being briefly down must not log everyone out: keep validating with the keys we have.
            logger.LogWarning(ex, "Could not refresh the JWKS from {JwksUrl}; keeping the cached keys.", jwksUrl);
            return _keys;
        }
    }
}
