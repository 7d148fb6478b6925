using Ahod.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.Identity.Tokens;

/// <summary>Identity's own public keys, loaded at start (they change only with a restart).</summary>
internal sealed class LocalSigningKeys(IEnumerable<SecurityKey> keys) : ISigningKeys
{
    private readonly IReadOnlyList<SecurityKey> _keys = keys.ToArray();

    public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_keys);

    public ValueTask<IReadOnlyList<SecurityKey>> RefreshAsync(IReadOnlyList<SecurityKey> stale, CancellationToken cancellationToken) => ValueTask.FromResult(_keys);
}
