using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Where token validation gets Identity's public keys: the JWKS over HTTP in every service (<see cref="JwksCache"/>),
/// the keys in memory in Identity itself (which registers its own before calling AddJwtBearerDefaults).
/// </summary>
public interface ISigningKeys
{
    ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken);

    /// <summary>After an unknown kid: fresher keys if there are any, else <paramref name="stale"/>.</summary>
    ValueTask<IReadOnlyList<SecurityKey>> RefreshAsync(IReadOnlyList<SecurityKey> stale, CancellationToken cancellationToken);
}
