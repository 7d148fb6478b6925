using Ahod.Redis.Protocol;

namespace Ahod.Redis;

// Hashes, sets and sorted sets.
public sealed partial class RedisClient
{
    /// <summary>HSET of one field; true when the field is new.</summary>
    public async Task<bool> HashSetAsync(string key, string field, string value, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("HSET", [key, field, value], cancellationToken)).AsInt64() == 1;

    /// <summary>HSET of several fields in one command; returns how many were new.</summary>
    public async Task<long> HashSetAsync(string key, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        var args = new List<object> { key };
        foreach (var (field, value) in fields)
        {
            args.Add(field);
            args.Add(value);
        }

        if (args.Count == 1)
        {
            throw new ArgumentException("At least one field is needed.", nameof(fields));
        }

        return (await ExecuteAsync("HSET", [.. args], cancellationToken)).AsInt64();
    }

    public async Task<string?> HashGetAsync(string key, string field, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("HGET", [key, field], cancellationToken)).AsString();

    /// <summary>All fields; empty when the key does not exist.</summary>
    public async Task<Dictionary<string, string>> HashGetAllAsync(string key, CancellationToken cancellationToken = default)
    {
        var items = (await ExecuteAsync("HGETALL", [key], cancellationToken)).Items ?? [];
        var result = new Dictionary<string, string>(items.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            result[items[i].AsString()!] = items[i + 1].AsString()!;
        }

        return result;
    }

    public async Task<bool> HashDeleteAsync(string key, string field, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("HDEL", [key, field], cancellationToken)).AsInt64() == 1;

    /// <summary>True when the member was added (false when it was already there).</summary>
    public async Task<bool> SetAddAsync(string key, string member, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("SADD", [key, member], cancellationToken)).AsInt64() == 1;

    /// <summary>True when the member was there and was removed.</summary>
    public async Task<bool> SetRemoveAsync(string key, string member, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("SREM", [key, member], cancellationToken)).AsInt64() == 1;

    /// <summary>All members, in no particular order.</summary>
    public async Task<string[]> SetMembersAsync(string key, CancellationToken cancellationToken = default) =>
        [.. ((await ExecuteAsync("SMEMBERS", [key], cancellationToken)).Items ?? []).Select(m => m.AsString()!)];

    public async Task<bool> SetContainsAsync(string key, string member, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("SISMEMBER", [key, member], cancellationToken)).AsInt64() == 1;

    /// <summary>ZADD; true when the member is new (an existing member just gets the new score).</summary>
    public async Task<bool> SortedSetAddAsync(string key, string member, double score, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("ZADD", [key, RespWriter.FormatDouble(score), member], cancellationToken)).AsInt64() == 1;

    public async Task<bool> SortedSetRemoveAsync(string key, string member, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("ZREM", [key, member], cancellationToken)).AsInt64() == 1;

    /// <summary>
    /// Members with <paramref name="min"/> ≤ score ≤ <paramref name="max"/>, lowest score first
    /// (ZRANGEBYSCORE ... WITHSCORES), optionally paged with <paramref name="skip"/>/<paramref name="take"/>.
    /// </summary>
    public async Task<SortedSetEntry[]> SortedSetRangeByScoreAsync(
        string key,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        long skip = 0,
        long? take = null,
        CancellationToken cancellationToken = default)
    {
        var args = new List<object> { key, RespWriter.FormatDouble(min), RespWriter.FormatDouble(max), "WITHSCORES" };
        if (skip != 0 || take is not null)
        {
            args.AddRange(["LIMIT", skip, take ?? -1]);
        }

        var items = (await ExecuteAsync("ZRANGEBYSCORE", [.. args], cancellationToken)).Items ?? [];
        var result = new SortedSetEntry[items.Count / 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new SortedSetEntry(items[2 * i].AsString()!, items[(2 * i) + 1].AsDouble());
        }

        return result;
    }
}

/// <summary>One member of a sorted set with its score.</summary>
public readonly record struct SortedSetEntry(string Member, double Score);
