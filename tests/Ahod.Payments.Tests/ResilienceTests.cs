using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using static Ahod.Testing.Eventually;

namespace Ahod.Payments.Tests;

/// <summary>These tests kill Payments and stop RabbitMQ: they run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(ResilienceTests), DisableParallelization = true)]
public sealed class ResilienceCollection;

[Collection(nameof(ResilienceTests))]
public sealed class ResilienceTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillingPayments_DuringLoad_LeavesNoPartialTransfer_AndRetriesSucceedOnce()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.NewUserAsync(fund: 100_000)));

        // Killed once the first transfers are answered, not after a fixed delay; and the load goes on until Payments is
        // back (a new process, healthy), so transfers are sent before, during and after the crash however fast or slow
        // the machine is. The wait for the new process matters: just after the kill, Payments still reports the health
        // of the process that died.
        const int Clients = 30;
        var answered = 0;
        var restarted = false;
        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref answered) < Clients)
            {
                await Task.Delay(5, Ct);
            }

            var restart = await fixture.App.KillAndWaitForRestartAsync("payments", Ct);
            Volatile.Write(ref restarted, true);
            return restart;
        }, Ct);
        var perClient = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var (from, to) = (users[c % 6], users[(c + 1) % 6]);
            var mine = new List<(HttpStatusCode StatusCode, string Body)>();
            while (mine.Count < 5 || !Volatile.Read(ref restarted))
            {
                mine.Add(await SendUntilAnsweredAsync(from, to.Id, Guid.NewGuid().ToString()));
                Interlocked.Increment(ref answered);
            }

            return mine;
        }));
        var restartTime = await killer;
        var outcomes = perClient.SelectMany(o => o).ToList();
        TestContext.Current.SendDiagnosticMessage($"{outcomes.Count} transfers; payments healthy again {restartTime.TotalSeconds:0.0} s after kill -9");

        outcomes.ShouldAllBe(o => o.StatusCode == HttpStatusCode.Created);
        var transferIds = outcomes.Select(o => JsonDocument.Parse(o.Body).RootElement.GetProperty("id").GetGuid()).ToList();
        transferIds.Distinct().Count().ShouldBe(outcomes.Count);
        var posted = await _api.ScalarAsync<long>(
            "SELECT count(*) FROM transfers WHERE code = 'p2p' AND initiated_by = ANY($1)", users.Select(u => u.Id).ToArray());
        posted.ShouldBe(outcomes.Count, "every key posted exactly once, none twice");
        await _api.AssertLedgerBalancedAsync();
        (await Task.WhenAll(users.Select(async u => (await _api.WalletAsync(u)).Available.Amount))).Sum().ShouldBe(6 * 100_000);
    }

    /// <summary>Sends one transfer and retries it with the same key until it gets a final answer, as a real client would.</summary>
    private async Task<(HttpStatusCode StatusCode, string Body)> SendUntilAnsweredAsync(TestUser from, Guid to, string key)
    {
        // Payments comes back after a restart delay and its start-up: on a busy machine that takes tens of seconds.
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (true)
        {
            try
            {
                using var response = await _api.SendMoneyAsync(from, to, 10, key);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity)
                {
                    return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
            {
                // The client's own timeout: a request held while Payments restarts. Retry with the same key, as a client would.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No final answer for key {key}.");
            }

            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task RabbitMqStopped_DuringTransfers_EveryPaymentEventArrivesAfterRestart()
    {
        var queue = $"payments-test-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(fixture.RabbitMq) };
        await using (var setup = await factory.CreateConnectionAsync(Ct))
        await using (var channel = await setup.CreateChannelAsync(cancellationToken: Ct))
        {
            await channel.ExchangeDeclareAsync("ahod.events", ExchangeType.Topic, durable: true, cancellationToken: Ct);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Ct);
            await channel.QueueBindAsync(queue, "ahod.events", "payment.#", cancellationToken: Ct);
        }

        var alice = await _api.NewUserAsync(fund: 10_000);
        var bob = await _api.NewUserAsync();
        await fixture.App.StopResourceAsync("rabbitmq", Ct);
        var sent = new List<Guid>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                using var response = await _api.SendMoneyAsync(alice, bob.Id, 100 + i);
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
                sent.Add((await PaymentsApi.ReadAsync<TransferDto>(response)).Id);
            }
        }
        finally
        {
            await fixture.App.StartAndWaitForHealthyAsync("rabbitmq", Ct);
        }

        var received = new ConcurrentDictionary<Guid, string>();
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var consumerChannel = await connection.CreateChannelAsync(cancellationToken: Ct);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var payload = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement;
            if (delivery.RoutingKey == "payment.transfer-posted")
            {
                received[payload.GetProperty("transferId").GetGuid()] = delivery.RoutingKey;
            }

            return Task.CompletedTask;
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: true, consumer, Ct);

        await EventuallyAsync(() => Task.FromResult(sent.All(received.ContainsKey) ? (object?)true : null),
            TimeSpan.FromSeconds(60), "every payment.transfer-posted event after RabbitMQ restarted", TestContext.Current.CancellationToken);
    }
}
