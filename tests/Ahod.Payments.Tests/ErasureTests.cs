using System.Net;
using Ahod.Messaging.Contracts;
using RabbitMQ.Client;
using static Ahod.Testing.Eventually;

namespace Ahod.Payments.Tests;

/// <summary>GDPR erasure as Identity announces it: a <c>user.erased</c> event on the bus, handled by Payments.</summary>
public sealed class ErasureTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UserErased_DeletesDestinationsAndKeys_ClosesAndUnlinksAccounts_KeepsTheLedger()
    {
        var alice = await _api.NewUserAsync(fund: 10_000);
        var bob = await _api.NewUserAsync();
        using (var withdrawal = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", alice.Token, new
               {
                   accountId = alice.WalletId,
                   amount = new { amount = 1_000, currency = "USD" },
                   destination = new { type = "bank", accountNumber = "000123456789", routingNumber = "021000021" },
               }, Guid.NewGuid().ToString()))
        {
            withdrawal.StatusCode.ShouldBe(HttpStatusCode.Created, await withdrawal.Content.ReadAsStringAsync(Ct));
        }

        using (var send = await _api.SendAsync(HttpMethod.Post, "/api/payments/send", alice.Token,
                   new { fromAccountId = alice.WalletId, toUserId = bob.Id, amount = new { amount = 2_500, currency = "USD" }, memo = "for the rent" },
                   Guid.NewGuid().ToString()))
        {
            send.StatusCode.ShouldBe(HttpStatusCode.Created, await send.Content.ReadAsStringAsync(Ct));
        }

        (await _api.ScalarAsync<long>("SELECT count(*) FROM withdrawal_destinations WHERE user_id = $1", alice.Id)).ShouldBe(1L);
        (await _api.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE user_id = $1", alice.Id)).ShouldBeGreaterThan(0L);
        var transfersBefore = await _api.ScalarAsync<long>(
            "SELECT count(*) FROM transfers WHERE debit_account_id = $1 OR credit_account_id = $1", alice.WalletId);

        await PublishAsync(new UserErased(alice.Id));

        await EventuallyAsync(async () =>
            await _api.ScalarAsync<string>("SELECT status FROM accounts WHERE id = $1", alice.WalletId) == "closed" ? "closed" : null,
            TimeSpan.FromSeconds(30), "Payments to close the erased user's wallet", TestContext.Current.CancellationToken);

        (await _api.ScalarAsync<long>("SELECT count(*) FROM withdrawal_destinations WHERE user_id = $1", alice.Id)).ShouldBe(0L);
        (await _api.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE user_id = $1", alice.Id)).ShouldBe(0L);
        (await _api.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE owner_type = 'user' AND owner_id = $1", alice.Id))
            .ShouldBe(0L, "the accounts are cut loose from the person");
        (await _api.ScalarAsync<long>(
                "SELECT count(*) FROM transfers WHERE initiated_by = $1 OR metadata ? 'memo' AND (debit_account_id = $2 OR credit_account_id = $2)",
                alice.Id, alice.WalletId))
            .ShouldBe(0L, "memos and the initiator are removed from the erased user's transfers");

        // The money history stays (bookkeeping law): same transfers, balances still equal their entries.
        (await _api.ScalarAsync<long>("SELECT count(*) FROM transfers WHERE debit_account_id = $1 OR credit_account_id = $1", alice.WalletId))
            .ShouldBe(transfersBefore);
        (await _api.ScalarAsync<string>("SELECT status FROM accounts WHERE id = $1", bob.WalletId)).ShouldBe("open");
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(2_500);
        await _api.AssertLedgerBalancedAsync();

        // The closed wallet moves no more money, even with a token issued before the erasure.
        using var after = await _api.SendMoneyAsync(alice, bob.Id, 100);
        after.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity);
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(2_500);
    }

    [Fact]
    public async Task Erase_WithMoneyInWallet_Returns409AndChangesNothing()
    {
        var alice = await _api.NewUserAsync(fund: 6_500);

        using (var refused = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", alice.Token, new { password = PaymentsApi.Password }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync(Ct));
            var problem = await PaymentsApi.ReadProblemAsync(refused);
            problem.GetProperty("detail").GetString()!.ShouldContain(alice.WalletId.ToString());
            var blocker = problem.GetProperty("blockers").EnumerateArray().ShouldHaveSingleItem();
            blocker.GetProperty("id").GetGuid().ShouldBe(alice.WalletId);
            blocker.GetProperty("kind").GetString().ShouldBe("wallet");
        }

        using (var me = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", alice.Token))
        {
            me.StatusCode.ShouldBe(HttpStatusCode.OK, "the account is not erased");
        }

        (await _api.ScalarAsync<string>("SELECT status FROM accounts WHERE id = $1", alice.WalletId)).ShouldBe("open");
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(6_500, "the money is still the user's");

        // The user takes the money out...
        using (var withdraw = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", alice.Token, new
               {
                   accountId = alice.WalletId,
                   amount = new { amount = 6_500, currency = "USD" },
                   destination = new { type = "bank", accountNumber = "000123456789", routingNumber = "021000021" },
               }, Guid.NewGuid().ToString()))
        {
            withdraw.StatusCode.ShouldBe(HttpStatusCode.Created, await withdraw.Content.ReadAsStringAsync(Ct));
        }

        // ...and once the wallet is empty, the same request erases the account.
        using (var erased = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", alice.Token, new { password = PaymentsApi.Password }))
        {
            erased.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erased.Content.ReadAsStringAsync(Ct));
        }

        await EventuallyAsync(async () =>
            await _api.ScalarAsync<string>("SELECT status FROM accounts WHERE id = $1", alice.WalletId) == "closed" ? "closed" : null,
            TimeSpan.FromSeconds(30), "Payments to close the erased user's empty wallet", TestContext.Current.CancellationToken);
        await _api.AssertLedgerBalancedAsync();
    }

    private async Task PublishAsync(IntegrationEvent integrationEvent)
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Ct);
        await channel.ExchangeDeclareAsync("ahod.events", ExchangeType.Topic, durable: true, cancellationToken: Ct);
        var properties = new BasicProperties
        {
            MessageId = integrationEvent.Id.ToString(),
            Type = "user.erased",
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
        };
        await channel.BasicPublishAsync("ahod.events", "user.erased", mandatory: true, properties,
            System.Text.Encoding.UTF8.GetBytes(IntegrationEventSerializer.Serialize(integrationEvent)), Ct);
    }
}
