namespace Ahod.Redis;

// Keys and strings.
public sealed partial class RedisClient
{
    /// <summary>Round-trip time of a PING.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await ExecuteAsync("PING", [], cancellationToken);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The value as UTF-8 text, or null when the key does not exist.</summary>
    public async Task<string?> StringGetAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("GET", [key], cancellationToken)).AsString();

    /// <summary>The value's raw bytes, or null when the key does not exist.</summary>
    public async Task<byte[]?> StringGetBytesAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("GET", [key], cancellationToken)).AsBytes();

    /// <summary>
    /// SET with an optional expiry; with <paramref name="onlyIfNotExists"/> it is SET NX, the basis
    /// of locks and idempotency keys. Returns false when NX found the key already there.
    /// </summary>
    public Task<bool> StringSetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfNotExists = false,
        CancellationToken cancellationToken = default) =>
        SetAsync(key, value, expiry, onlyIfNotExists, cancellationToken);

    /// <inheritdoc cref="StringSetAsync(string, string, TimeSpan?, bool, CancellationToken)"/>
    public Task<bool> StringSetAsync(string key, byte[] value, TimeSpan? expiry = null, bool onlyIfNotExists = false,
        CancellationToken cancellationToken = default) =>
        SetAsync(key, value, expiry, onlyIfNotExists, cancellationToken);

    /// <summary>INCRBY: atomically adds to an integer value (a missing key counts as 0) and returns the result.</summary>
    public async Task<long> StringIncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("INCRBY", [key, by], cancellationToken)).AsInt64();

    /// <summary>True when the key existed and was deleted.</summary>
    public async Task<bool> KeyDeleteAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("DEL", [key], cancellationToken)).AsInt64() == 1;

    /// <summary>Sets a time to live with millisecond precision (PEXPIRE); false when the key does not exist.</summary>
    public async Task<bool> KeyExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("PEXPIRE", [key, ToMilliseconds(expiry)], cancellationToken)).AsInt64() == 1;

    /// <summary>Remaining time to live; null when the key does not exist or has no expiry.</summary>
    public async Task<TimeSpan?> KeyTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        var milliseconds = (await ExecuteAsync("PTTL", [key], cancellationToken)).AsInt64();
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }

    public async Task<bool> KeyExistsAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("EXISTS", [key], cancellationToken)).AsInt64() == 1;

    private async Task<bool> SetAsync(string key, object value, TimeSpan? expiry, bool onlyIfNotExists, CancellationToken cancellationToken)
    {
        var args = new List<object>(5) { key, value };
        if (expiry is { } ttl)
        {
            args.Add("PX");
            args.Add(ToMilliseconds(ttl));
        }

        if (onlyIfNotExists)
        {
            args.Add("NX");
        }

        // SET answers +OK, or nil when NX (or XX) prevented the write.
        var reply = await ExecuteAsync("SET", [.. args], cancellationToken);
        return !reply.IsNull;
    }

    private static long ToMilliseconds(TimeSpan expiry) =>
        expiry > TimeSpan.Zero
            ? Math.Max(1, (long)expiry.TotalMilliseconds)
            : throw new ArgumentOutOfRangeException(nameof(expiry), expiry, "An expiry must be positive.");
}
