using System.Collections.Concurrent;
using Ahod.Chat.Conversations;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ahod.Chat.Hubs;

public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>A connection counts as online this long after its replica last vouched for it (a crashed replica's users go offline by themselves).</summary>
    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each replica renews its connections' presence; well under the TTL.</summary>
    public TimeSpan PresenceRefresh { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// Presence in Redis, shared by the replicas: one sorted set per user, <c>chat:presence:{userId}</c>, of connection ids
/// scored by when they expire. Online = a member not yet expired. The first connection and the last disconnection
/// tell the people who share a conversation with the user.
/// </summary>
public sealed class Presence(
    IConnectionMultiplexer redis, IServiceScopeFactory scopes, IHubContext<ChatHub> hub, IOptions<ChatOptions> options, TimeProvider clock,
    ILogger<Presence> logger)
{
    private readonly ConcurrentDictionary<string, Guid> _local = new();

    private static RedisKey Key(Guid userId) => $"chat:presence:{userId:N}";

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task ConnectedAsync(Guid userId, string connectionId, CancellationToken ct)
    {
        _local[connectionId] = userId;
        var db = redis.GetDatabase();
        var key = Key(userId);
        var batch = db.CreateBatch();
        var prune = batch.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, Now);
        var add = batch.SortedSetAddAsync(key, connectionId, Now + (long)options.Value.PresenceTtl.TotalMilliseconds);
        var count = batch.SortedSetLengthAsync(key);
        var expire = batch.KeyExpireAsync(key, options.Value.PresenceTtl);
        batch.Execute();
        await Task.WhenAll(prune, add, count, expire);

        var contacts = await ContactsAsync(userId, ct);
        if (count.Result == 1)
        {
            await hub.Clients.Users(contacts.Select(c => c.ToString())).SendAsync(HubEvents.Presence, new PresenceEvent(userId, true), ct);
        }

        // The newcomer learns who of their contacts is online now; later changes arrive as events.
        var online = await OnlineAsync(contacts);
        foreach (var contact in online)
        {
            await hub.Clients.Client(connectionId).SendAsync(HubEvents.Presence, new PresenceEvent(contact, true), ct);
        }
    }

    public async Task DisconnectedAsync(Guid userId, string connectionId)
    {
        _local.TryRemove(connectionId, out _);
        var db = redis.GetDatabase();
        var key = Key(userId);
        await db.SortedSetRemoveAsync(key, connectionId);
        await db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, Now);
        if (await db.SortedSetLengthAsync(key) == 0)
        {
            var contacts = await ContactsAsync(userId, CancellationToken.None);
            await hub.Clients.Users(contacts.Select(c => c.ToString())).SendAsync(HubEvents.Presence, new PresenceEvent(userId, false));
        }
    }

    public async Task<List<Guid>> OnlineAsync(IReadOnlyCollection<Guid> userIds)
    {
        var db = redis.GetDatabase();
        var now = Now;
        var batch = db.CreateBatch();
        var counts = userIds.Select(u => (u, batch.SortedSetLengthAsync(Key(u), now, double.PositiveInfinity))).ToList();
        batch.Execute();
        await Task.WhenAll(counts.Select(c => c.Item2));
        return [.. counts.Where(c => c.Item2.Result > 0).Select(c => c.u)];
    }

    /// <summary>
    /// Who of <paramref name="userIds"/> has no live connection. When Redis cannot tell, all of them: a notification
    /// too many is better than a message nobody is told about.
    /// </summary>
    public async Task<List<Guid>> OfflineAsync(IReadOnlyCollection<Guid> userIds)
    {
        if (userIds.Count == 0)
        {
            return [];
        }

        try
        {
            var online = await OnlineAsync(userIds);
            return [.. userIds.Except(online)];
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Presence unknown (Redis); treating {Count} user(s) as offline.", userIds.Count);
            return [.. userIds];
        }
    }

    /// <summary>Renews every connection this replica holds (see <see cref="PresenceRefresher"/>).</summary>
    public async Task RefreshAsync()
    {
        var db = redis.GetDatabase();
        var expiry = Now + (long)options.Value.PresenceTtl.TotalMilliseconds;
        var batch = db.CreateBatch();
        var tasks = new List<Task>();
        foreach (var (connectionId, userId) in _local)
        {
            tasks.Add(batch.SortedSetAddAsync(Key(userId), connectionId, expiry));
            tasks.Add(batch.KeyExpireAsync(Key(userId), options.Value.PresenceTtl));
        }

        batch.Execute();
        await Task.WhenAll(tasks);
    }

    private async Task<List<Guid>> ContactsAsync(Guid userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConversationStore>().ContactsAsync(userId, ct);
    }
}

public sealed class PresenceRefresher(Presence presence, IOptions<ChatOptions> options, ILogger<PresenceRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PresenceRefresh);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await presence.RefreshAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning(e, "Presence refresh failed; retrying at the next tick.");
            }
        }
    }
}
