using System.Text;

namespace Ahod.Redis.Tests;

public sealed class CommandTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly RedisClient _client = redis.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task Ping_answers()
    {
        var latency = await _client.PingAsync(Ct);

        latency.ShouldBeGreaterThan(TimeSpan.Zero);
        _client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task Set_then_get_and_missing_key_is_null()
    {
        var key = RedisFixture.Key("string");

        (await _client.StringSetAsync(key, "héllo wörld", cancellationToken: Ct)).ShouldBeTrue();

        (await _client.StringGetAsync(key, Ct)).ShouldBe("héllo wörld");
        (await _client.StringGetAsync(key + ":missing", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_with_expiry_expires()
    {
        var key = RedisFixture.Key("ttl");

        await _client.StringSetAsync(key, "v", expiry: TimeSpan.FromMilliseconds(150), cancellationToken: Ct);

        (await _client.KeyTimeToLiveAsync(key, Ct)).ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(150));
        await Task.Delay(400, Ct);
        (await _client.StringGetAsync(key, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Key_expire_and_delete()
    {
        var key = RedisFixture.Key("expire");
        await _client.StringSetAsync(key, "v", cancellationToken: Ct);

        (await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(1), Ct)).ShouldBeTrue();
        (await _client.KeyTimeToLiveAsync(key, Ct)).ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.FromSeconds(50));
        (await _client.KeyDeleteAsync(key, Ct)).ShouldBeTrue();
        (await _client.KeyDeleteAsync(key, Ct)).ShouldBeFalse();
        (await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(1), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Set_if_not_exists_only_writes_once()
    {
        var key = RedisFixture.Key("nx");

        (await _client.StringSetAsync(key, "first", onlyIfNotExists: true, cancellationToken: Ct)).ShouldBeTrue();
        (await _client.StringSetAsync(key, "second", onlyIfNotExists: true, cancellationToken: Ct)).ShouldBeFalse();

        (await _client.StringGetAsync(key, Ct)).ShouldBe("first");
    }

    [Fact]
    public async Task Increment_is_atomic_across_concurrent_callers()
    {
        var key = RedisFixture.Key("counter");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _client.StringIncrementAsync(key, cancellationToken: Ct)));

        (await _client.StringIncrementAsync(key, 10, Ct)).ShouldBe(210);
    }

    [Fact]
    public async Task Binary_values_round_trip_byte_for_byte()
    {
        var key = RedisFixture.Key("binary");
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Encoding.ASCII.GetBytes("\r\n$-1\r\n")).ToArray();

        await _client.StringSetAsync(key, value, cancellationToken: Ct);

        (await _client.StringGetBytesAsync(key, Ct)).ShouldBe(value);
    }

    [Fact]
    public async Task Large_value_round_trips()
    {
        var key = RedisFixture.Key("large");
        var value = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(value);

        await _client.StringSetAsync(key, value, cancellationToken: Ct);

        (await _client.StringGetBytesAsync(key, Ct)).ShouldBe(value);
    }

    [Fact]
    public async Task Server_error_is_thrown_with_its_message_and_the_connection_stays_usable()
    {
        var key = RedisFixture.Key("wrongtype");
        await _client.SetAddAsync(key, "member", Ct);

        var error = await Should.ThrowAsync<RedisServerException>(() => _client.StringGetAsync(key, Ct));

        error.ErrorCode.ShouldBe("WRONGTYPE");
        error.Message.ShouldContain("wrong kind of value");
        (await _client.PingAsync(Ct)).ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task Execute_sends_any_command()
    {
        var key = RedisFixture.Key("raw");

        (await _client.ExecuteAsync("RPUSH", [key, "a", "b", 3], Ct)).AsInt64().ShouldBe(3);

        var list = await _client.ExecuteAsync("LRANGE", [key, 0, -1], Ct);
        list.Items!.Select(i => i.AsString()).ShouldBe(["a", "b", "3"]);
    }

    [Fact]
    public async Task Hashes()
    {
        var key = RedisFixture.Key("hash");

        (await _client.HashSetAsync(key, "name", "Ada", Ct)).ShouldBeTrue();
        (await _client.HashSetAsync(key, "name", "Ada L.", Ct)).ShouldBeFalse();
        (await _client.HashSetAsync(key, [new("city", "London"), new("born", "1815")], Ct)).ShouldBe(2);

        (await _client.HashGetAsync(key, "name", Ct)).ShouldBe("Ada L.");
        (await _client.HashGetAsync(key, "missing", Ct)).ShouldBeNull();
        (await _client.HashGetAllAsync(key, Ct)).ShouldBe(
            new Dictionary<string, string> { ["name"] = "Ada L.", ["city"] = "London", ["born"] = "1815" },
            ignoreOrder: true);
        (await _client.HashGetAllAsync(key + ":missing", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sets()
    {
        var key = RedisFixture.Key("set");

        (await _client.SetAddAsync(key, "a", Ct)).ShouldBeTrue();
        (await _client.SetAddAsync(key, "b", Ct)).ShouldBeTrue();
        (await _client.SetAddAsync(key, "a", Ct)).ShouldBeFalse();
        (await _client.SetRemoveAsync(key, "b", Ct)).ShouldBeTrue();
        (await _client.SetRemoveAsync(key, "b", Ct)).ShouldBeFalse();

        (await _client.SetMembersAsync(key, Ct)).ShouldBe(["a"]);
        (await _client.SetContainsAsync(key, "a", Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Sorted_set_range_by_score()
    {
        var key = RedisFixture.Key("zset");
        await _client.SortedSetAddAsync(key, "late", 30.5, Ct);
        await _client.SortedSetAddAsync(key, "early", 10, Ct);
        await _client.SortedSetAddAsync(key, "middle", 20, Ct);

        (await _client.SortedSetRangeByScoreAsync(key, cancellationToken: Ct)).ShouldBe(
            [new("early", 10), new("middle", 20), new("late", 30.5)]);
        (await _client.SortedSetRangeByScoreAsync(key, 15, 25, cancellationToken: Ct)).ShouldBe([new("middle", 20)]);
        (await _client.SortedSetRangeByScoreAsync(key, skip: 1, take: 1, cancellationToken: Ct)).ShouldBe([new("middle", 20)]);

        (await _client.SortedSetRemoveAsync(key, "middle", Ct)).ShouldBeTrue();
        (await _client.SortedSetRangeByScoreAsync(key, cancellationToken: Ct)).Length.ShouldBe(2);
    }

    [Fact]
    public async Task Lua_script_runs_atomically_with_keys_and_args_and_survives_script_flush()
    {
        var key = RedisFixture.Key("lua");
        const string script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCRBY', KEYS[2], ARGV[2])";

        var first = await _client.ScriptEvaluateAsync(script, [key, key + ":n"], ["stored", 5], Ct);
        await _client.ExecuteAsync("SCRIPT", ["FLUSH"], Ct);
        var second = await _client.ScriptEvaluateAsync(script, [key, key + ":n"], ["stored", 5], Ct);

        first.AsInt64().ShouldBe(5);
        second.AsInt64().ShouldBe(10);
        (await _client.StringGetAsync(key, Ct)).ShouldBe("stored");
    }

    [Fact]
    public async Task Lua_script_errors_and_table_replies()
    {
        var table = await _client.ScriptEvaluateAsync("return {1, 'two', false}", cancellationToken: Ct);
        table.Items!.Select(i => i.AsString()).ShouldBe(["1", "two", null]);

        var error = await Should.ThrowAsync<RedisServerException>(
            () => _client.ScriptEvaluateAsync("return redis.error_reply('ERR boom')", cancellationToken: Ct));
        error.Message.ShouldContain("boom");
    }

    [Fact]
    public async Task Streams_add_range_read_and_trim()
    {
        var key = RedisFixture.Key("stream");

        var first = await _client.StreamAddAsync(key, [new("type", "created"), new("amount", "10")], cancellationToken: Ct);
        var second = await _client.StreamAddAsync(key, [new("type", "paid")], cancellationToken: Ct);

        var all = await _client.StreamRangeAsync(key, cancellationToken: Ct);
        all.Select(e => e.Id).ShouldBe([first, second]);
        all[0]["type"].ShouldBe("created");
        all[0]["amount"].ShouldBe("10");
        all[0]["missing"].ShouldBeNull();

        var after = await _client.StreamReadAsync(key, first, cancellationToken: Ct);
        after.Single().Id.ShouldBe(second);
        (await _client.StreamReadAsync(key, second, cancellationToken: Ct)).ShouldBeEmpty();
        (await _client.StreamRangeAsync(key, count: 1, cancellationToken: Ct)).Single().Id.ShouldBe(first);

        for (var i = 0; i < 500; i++)
        {
            await _client.StreamAddAsync(key, [new("i", i.ToString())], maxLength: 10, cancellationToken: Ct);
        }

        // MAXLEN ~ trims whole nodes (100 entries by default), so the length is bounded but not exact.
        (await _client.StreamLengthAsync(key, Ct)).ShouldBeLessThan(300);
    }

    [Fact]
    public async Task Default_database_is_selected()
    {
        await using var db5 = redis.CreateClient("defaultDatabase=5");
        var key = RedisFixture.Key("db");

        await db5.StringSetAsync(key, "in five", cancellationToken: Ct);

        (await _client.StringGetAsync(key, Ct)).ShouldBeNull();
        (await db5.StringGetAsync(key, Ct)).ShouldBe("in five");
    }

    [Fact]
    public async Task Cancelled_wait_does_not_break_later_replies()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var key = RedisFixture.Key("cancel");

        await Should.ThrowAsync<OperationCanceledException>(() => _client.StringGetAsync(key, cancelled.Token));
        await _client.StringSetAsync(key, "after", cancellationToken: Ct);

        (await _client.StringGetAsync(key, Ct)).ShouldBe("after");
    }
}
