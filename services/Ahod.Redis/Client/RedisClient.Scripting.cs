using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Ahod.Redis;

// Lua scripts.
public sealed partial class RedisClient
{
    // SHA1 of each script already sent, so repeated calls send the 40-character hash (EVALSHA)
    // instead of the whole script.
    private readonly ConcurrentDictionary<string, string> _scriptHashes = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs a Lua script atomically on the server. Keys go to <c>KEYS[]</c>, arguments to <c>ARGV[]</c>.
    /// Uses EVALSHA and falls back to EVAL when the server does not have the script cached
    /// (e.g. after a restart), so callers never see NOSCRIPT.
    /// </summary>
    public async Task<RedisValue> ScriptEvaluateAsync(
        string script,
        IReadOnlyList<string>? keys = null,
        IReadOnlyList<object>? args = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        keys ??= [];
        args ??= [];
        var hash = _scriptHashes.GetOrAdd(script,
            static s => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(s))));

        try
        {
            return await ExecuteAsync("EVALSHA", [hash, keys.Count, .. keys, .. args], cancellationToken);
        }
        catch (RedisServerException ex) when (ex.ErrorCode == "NOSCRIPT")
        {
            // EVAL runs the script and also caches it, so the next call's EVALSHA hits.
            return await ExecuteAsync("EVAL", [script, keys.Count, .. keys, .. args], cancellationToken);
        }
    }
}
