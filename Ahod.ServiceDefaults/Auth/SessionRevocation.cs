using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Ended sessions (refresh-token families), shared through Redis so that an access token dies with its session at
/// once: Identity revokes (<see cref="RevokeAsync"/>: a key per session plus a message on a channel), every process that
/// validates tokens asks <see cref="IsRevokedAsync"/> for the token's <c>sid</c>.
/// <para>
/// One Redis lookup per session per <see cref="LiveFor"/> and process: a "not revoked" answer is kept that long, a
/// "revoked" one for good. The channel marks a session revoked in every subscribed process as soon as Identity
/// publishes, so the brief cache never lets an ended session through; after a lost connection (messages may have been
/// missed) the "not revoked" answers are dropped.
/// </para>
/// <para>
/// Redis down: the check fails open (the token is judged on signature and lifetime alone, as before revocation
/// existed) and says so in the log. Failing closed would turn a cache outage into every user of every service being
/// signed out; failing open shrinks the guarantee for the outage only, back to "at most the access token's 15
/// minutes", while PostgreSQL, which Identity checks on every refresh, still refuses the session new tokens.
/// </para>
/// </summary>
public sealed class SessionRevocation
{
    /// <summary>The access-token claim naming the session (the refresh-token family id), OpenID Connect's <c>sid</c>.</summary>
    public const string SessionClaim = "sid";

    public const string Channel = "ahod:revoked-sessions";

    /// <summary>How long a "not revoked" answer is trusted without asking Redis again.</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(5);

    /// <summary>A lookup slower than this is given up (fail open), so a sick Redis cannot stall every request.</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromMilliseconds(500);

    private const int MaxEntries = 100_000;
    private static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(30);

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionRevocation> _logger;
    private readonly ConcurrentDictionary<Guid, Entry> _cache = new();
    private long _lastWarning;

    public SessionRevocation(IConnectionMultiplexer redis, TimeProvider time, ILogger<SessionRevocation> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        // Messages sent while we were disconnected are lost: forget what we believed was live.
        redis.ConnectionRestored += (_, _) => ForgetLive();
    }

    public static RedisKey Key(Guid sessionId) => $"ahod:revoked-session:{sessionId:N}";

    /// <summary>Whether the session has ended; false when Redis cannot tell (see the class remarks).</summary>
    public async ValueTask<bool> IsRevokedAsync(Guid sessionId)
    {
        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(sessionId, out var known) && (known.Revoked || _time.GetElapsedTime(known.CheckedAt, now) < LiveFor))
        {
            return known.Revoked;
        }

        bool revoked;
        try
        {
            if (!_redis.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
            }

            revoked = await _redis.GetDatabase().KeyExistsAsync(Key(sessionId)).WaitAsync(LookupTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            WarnFailOpen(e);
            revoked = false;
        }

        Remember(sessionId, revoked, now);
        return revoked;
    }

    /// <summary>
    /// Marks the sessions revoked for <paramref name="keepFor"/> (as long as any of their tokens could be presented) and
    /// tells every subscribed process. False when Redis could not take it (the caller's database still holds the truth).
    /// </summary>
    public async Task<bool> RevokeAsync(IReadOnlyCollection<Guid> sessionIds, string reason, TimeSpan keepFor)
    {
        foreach (var id in sessionIds)
        {
            Remember(id, revoked: true, _time.GetTimestamp());
        }

        try
        {
            var db = _redis.GetDatabase();
            foreach (var id in sessionIds)
            {
                await db.StringSetAsync(Key(id), reason, keepFor);
                await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), id.ToString("N"));
            }

            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Could not publish the revocation of {Count} session(s) to Redis.", sessionIds.Count);
            return false;
        }
    }

    /// <summary>Listens for revocations published by Identity; Redis re-subscribes by itself after a reconnect.</summary>
    internal async Task SubscribeAsync()
    {
        var channel = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel));
        channel.OnMessage(message =>
        {
            if (Guid.TryParseExact(message.Message.ToString(), "N", out var id))
            {
                Remember(id, revoked: true, _time.GetTimestamp());
            }
        });
    }

    private void Remember(Guid sessionId, bool revoked, long checkedAt)
    {
        if (_cache.Count >= MaxEntries)
        {
            ForgetLive();
            if (_cache.Count >= MaxEntries)
            {
                // Only revoked sessions left: their keys stay in Redis, so forgetting costs a lookup, nothing more.
                _cache.Clear();
            }
        }

        _cache.AddOrUpdate(sessionId, new Entry(revoked, checkedAt), (_, old) => old.Revoked ? old : new Entry(revoked, checkedAt));
    }

    private void ForgetLive()
    {
        foreach (var (id, entry) in _cache)
        {
            if (!entry.Revoked)
            {
                _cache.TryRemove(new KeyValuePair<Guid, Entry>(id, entry));
            }
        }
    }

    private void WarnFailOpen(Exception e)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= WarnEvery) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            _logger.LogWarning(e, "Redis cannot say whether sessions were revoked; access tokens are accepted on signature and lifetime alone until it answers.");
        }
    }

    private readonly record struct Entry(bool Revoked, long CheckedAt);
}
