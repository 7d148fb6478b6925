namespace Ahod.Redis.Tests;

public sealed class PipeliningTests(RedisFixture redis)
{
    [Fact]
    public async Task A_thousand_concurrent_commands_each_get_their_own_reply()
    {
        await using var client = redis.CreateClient();
        var prefix = RedisFixture.Key("pipeline");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Many tasks on the thread pool, released together, each checking its own answers; a reply
        // matched to the wrong request shows up as a mismatch.
        var tasks = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var echo = await client.ExecuteAsync("ECHO", $"message-{i}");
            echo.AsString().ShouldBe($"message-{i}");

            var key = $"{prefix}:{i}";
            await client.StringSetAsync(key, $"value-{i}");
            (await client.StringGetAsync(key)).ShouldBe($"value-{i}");
            (await client.StringIncrementAsync(key + ":n", i)).ShouldBe(i);
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(tasks);
    }
}
