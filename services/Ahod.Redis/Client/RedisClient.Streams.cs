namespace Ahod.Redis;

// Streams.
public sealed partial class RedisClient
{
    /// <summary>
    /// XADD with an auto-generated id. With <paramref name="maxLength"/> the stream is trimmed with
    /// <c>MAXLEN ~</c>: approximate trimming lets Redis drop whole internal nodes, which is far
    /// cheaper than trimming to the exact count. Returns the new entry's id.
    /// </summary>
    public async Task<string> StreamAddAsync(
        string key,
        IEnumerable<KeyValuePair<string, string>> fields,
        long? maxLength = null,
        CancellationToken cancellationToken = default)
    {
        var args = new List<object> { key };
        if (maxLength is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxLength));
            args.AddRange(["MAXLEN", "~", max]);
        }

        args.Add("*");
        var fieldCount = 0;
        foreach (var (field, value) in fields)
        {
            args.Add(field);
            args.Add(value);
            fieldCount++;
        }

        if (fieldCount == 0)
        {
            throw new ArgumentException("A stream entry needs at least one field.", nameof(fields));
        }

        return (await ExecuteAsync("XADD", [.. args], cancellationToken)).AsString()!;
    }

    /// <summary>XRANGE: entries with ids from <paramref name="start"/> to <paramref name="end"/> inclusive ("-" and "+" mean the ends).</summary>
    public async Task<StreamEntry[]> StreamRangeAsync(
        string key,
        string start = "-",
        string end = "+",
        int? count = null,
        CancellationToken cancellationToken = default)
    {
        object[] args = count is { } n ? [key, start, end, "COUNT", n] : [key, start, end];
        return ParseEntries(await ExecuteAsync("XRANGE", args, cancellationToken));
    }

    /// <summary>
    /// XREAD (non-blocking): entries with ids strictly after <paramref name="afterId"/> ("0" for
    /// all). Poll with the last id returned; blocking reads would stall the shared connection.
    /// </summary>
    public async Task<StreamEntry[]> StreamReadAsync(
        string key,
        string afterId = "0",
        int? count = null,
        CancellationToken cancellationToken = default)
    {
        object[] args = count is { } n ? ["COUNT", n, "STREAMS", key, afterId] : ["STREAMS", key, afterId];

        // The reply is [[key, entries]] per stream, or nil when nothing is newer than afterId.
        var reply = await ExecuteAsync("XREAD", args, cancellationToken);
        if (reply.IsNull || reply.Items!.Count == 0)
        {
            return [];
        }

        return ParseEntries(reply.Items[0].Items![1]);
    }

    public async Task<long> StreamLengthAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("XLEN", [key], cancellationToken)).AsInt64();

    private static StreamEntry[] ParseEntries(RedisValue reply)
    {
        var entries = reply.Items ?? [];
        var result = new StreamEntry[entries.Count];
        for (var i = 0; i < result.Length; i++)
        {
            // Each entry is [id, [field, value, field, value, ...]].
            var parts = entries[i].Items!;
            var flat = parts[1].Items ?? [];
            var fields = new KeyValuePair<string, string>[flat.Count / 2];
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f] = new(flat[2 * f].AsString()!, flat[(2 * f) + 1].AsString()!);
            }

            result[i] = new StreamEntry(parts[0].AsString()!, fields);
        }

        return result;
    }
}

/// <summary>One stream entry: its id and its fields in the order they were added.</summary>
public sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>The value of a field, or null when the entry does not have it.</summary>
    public string? this[string field] => Fields.FirstOrDefault(f => f.Key == field).Value;
}
