using System.Text;
using System.Threading.Channels;

namespace Ahod.Redis.Tests;

public sealed class PubSubTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscriber_receives_published_messages_in_order()
    {
        await using var client = redis.CreateClient();
        var channel = RedisFixture.Key("chan");
        var received = Channel.CreateUnbounded<(string Channel, string Message)>();

        await using (await client.SubscribeAsync(channel, (ch, message) =>
                     {
                         received.Writer.TryWrite((ch, Encoding.UTF8.GetString(message.Span)));
                         return Task.CompletedTask;
                     }, Ct))
        {
            for (var i = 0; i < 20; i++)
            {
                (await client.PublishAsync(channel, $"m{i}", Ct)).ShouldBe(1);
            }

            for (var i = 0; i < 20; i++)
            {
                (await received.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBe((channel, $"m{i}"));
            }
        }

        // Disposed: the server has no subscriber for the channel any more.
        (await client.PublishAsync(channel, "after", Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Binary_messages_and_several_handlers_and_a_failing_handler()
    {
        await using var client = redis.CreateClient();
        var channel = RedisFixture.Key("chan");
        byte[] payload = [0, 255, 13, 10, 42];
        var first = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var failing = await client.SubscribeAsync(channel, (_, _) => throw new InvalidOperationException("handler bug"), Ct);
        await using var a = await client.SubscribeAsync(channel, (_, m) => { first.TrySetResult(m.ToArray()); return Task.CompletedTask; }, Ct);
        await using var b = await client.SubscribeAsync(channel, (_, m) => { second.TrySetResult(m.ToArray()); return Task.CompletedTask; }, Ct);

        // One server-side subscription however many handlers.
        (await client.PublishAsync(channel, payload, Ct)).ShouldBe(1);

        (await first.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBe(payload);
        (await second.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBe(payload);
    }

    [Fact]
    public async Task Only_the_subscribed_channel_is_delivered()
    {
        await using var client = redis.CreateClient();
        var channel = RedisFixture.Key("chan");
        var messages = new List<string>();
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var _ = await client.SubscribeAsync(channel, (_, m) =>
        {
            lock (messages)
            {
                messages.Add(Encoding.UTF8.GetString(m.Span));
            }

            got.TrySetResult();
            return Task.CompletedTask;
        }, Ct);

        await client.PublishAsync(channel + ":other", "no", Ct);
        await client.PublishAsync(channel, "yes", Ct);
        await got.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        messages.ShouldBe(["yes"]);
    }
}
