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
        var plan = Enumerable.Range(0, 300).Select(i => (From: users[i % 6], To: users[(i + 1) % 6], Key: Guid.NewGuid().ToString())).ToList();

        // Killed once a tenth of the load is answered, not after a fixed delay: a fast ledger answers 300
        // transfers in well under a second, and the kill must land while requests are still in flight.
        var answered = 0;
        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref answered) < plan.Count / 10)
            {
                await Task.Delay(5, Ct);
            }

            fixture.App.Kill("payments");
        }, Ct);
        // Each client retries with the same key until it gets a final answer, as a real client would.
        var outcomes = await Task.WhenAll(plan.Select(async p =>
        {
            // Payments comes back through `dotnet run` under DCP: on a busy machine that takes tens of seconds.
            var deadline = DateTime.UtcNow.AddSeconds(240);
            while (true)
            {
                try
                {
                    using var response = await _api.SendMoneyAsync(p.From, p.To.Id, 10, p.Key);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity)
                    {
                        Interlocked.Increment(ref answered);
                        return (p.Key, p.From, response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
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
                    throw new TimeoutException($"No final answer for key {p.Key}.");
                }

                await Task.Delay(200, Ct);
            }
        }));
        await killer;
        await fixture.App.WaitForHealthyAsync("payments", cancellationToken: Ct);

        outcomes.ShouldAllBe(o => o.StatusCode == HttpStatusCode.Created);
        var transferIds = outcomes.Select(o => JsonDocument.Parse(o.Body).RootElement.GetProperty("id").GetGuid()).ToList();
        transferIds.Distinct().Count().ShouldBe(plan.Count);
        var posted = await _api.ScalarAsync<long>(
            "SELECT count(*) FROM transfers WHERE code = 'p2p' AND initiated_by = ANY($1)", users.Select(u => u.Id).ToArray());
        posted.ShouldBe(plan.Count, "every key posted exactly once, none twice");
        await _api.AssertLedgerBalancedAsync();
        (await Task.WhenAll(users.Select(async u => (await _api.WalletAsync(u)).Available.Amount))).Sum().ShouldBe(6 * 100_000);
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
            await fixture.App.StartResourceAsync("rabbitmq", Ct);
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
