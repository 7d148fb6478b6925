using System.Net;
using static Ahod.Testing.Eventually;

namespace Ahod.Payments.Tests;

/// <summary>What a client relies on through the gateway beyond moving money: cache headers and what the history shows.</summary>
public sealed class ContractTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertNoStoreAsync(HttpResponseMessage response, string what)
    {
        response.IsSuccessStatusCode.ShouldBeTrue($"{what}: {await response.Content.ReadAsStringAsync(Ct)}");
        (response.Headers.CacheControl?.NoStore ?? false).ShouldBeTrue($"{what} answers Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task BalancesTransfersAndHistory_AreNeverCached()
    {
        var alice = await _api.NewUserAsync();
        var bob = await _api.NewUserAsync();

        using var deposit = await _api.DepositAsync(alice, 5_000);
        await AssertNoStoreAsync(deposit, "POST deposit");
        var transferId = (await PaymentsApi.ReadAsync<TransferDto>(deposit)).Id;
        using (var send = await _api.SendMoneyAsync(alice, bob.Id, 1_000))
        {
            await AssertNoStoreAsync(send, "POST send");
        }

        using (var withdraw = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", alice.Token, new
               {
                   accountId = alice.WalletId,
                   amount = new { amount = 1_000, currency = "USD" },
                   destination = new { type = "bank", accountNumber = "000123456789", routingNumber = "021000021" },
               }, Guid.NewGuid().ToString()))
        {
            await AssertNoStoreAsync(withdraw, "POST withdraw");
        }

        foreach (var path in new[] { "/api/payments/accounts", "/api/payments/histories", $"/api/payments/transfers/{transferId}" })
        {
            using var response = await _api.SendAsync(HttpMethod.Get, path, alice.Token);
            await AssertNoStoreAsync(response, $"GET {path}");
        }
    }

    [Fact]
    public async Task SlowDeposit_IsOneHistoryRow_MovingFromPendingToPosted_UnderTheIdTheClientGot()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.DepositAsync(user, 700, "tok_sandbox_slow");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var given = (await PaymentsApi.ReadAsync<TransferDto>(response)).Id;

        // Before settlement: one pending row. Read at once: the test settles after 1 s.
        var before = await HistoryAsync(user);
        if (before.Single().Pending)
        {
            before.Single().TransferId.ShouldBe(given);
            before.Single().Amount.Amount.ShouldBe(700);
        }

        await EventuallyAsync(async () => (await _api.WalletAsync(user)).Available.Amount == 700 ? (object)true : null,
            TimeSpan.FromSeconds(15), "the slow deposit to settle", TestContext.Current.CancellationToken);

        var after = (await HistoryAsync(user)).ShouldHaveSingleItem("one transfer, one row: not +pending, -pending, +posted");
        after.TransferId.ShouldBe(given);
        after.Pending.ShouldBeFalse();
        after.Amount.Amount.ShouldBe(700);
        after.BalanceAfter.Amount.ShouldBe(700);
        using (var transfer = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{given}", user.Token))
        {
            (await PaymentsApi.ReadAsync<TransferDto>(transfer)).Status.ShouldBe("posted");
        }

        await _api.AssertLedgerBalancedAsync();
    }

    public static TheoryData<string, string?, string> UnreadableDeposits => new()
    {
        { "not JSON", "{ not json", "body" },
        { "no body", null, "body" },
        { "a float for minor units", """{"accountId":"{wallet}","amount":{"amount":10.5,"currency":"USD"},"source":{"type":"card","token":"tok_sandbox_success"}}""", "amount.amount" },
        { "a string for minor units", """{"accountId":"{wallet}","amount":{"amount":"10","currency":"USD"},"source":{"type":"card","token":"tok_sandbox_success"}}""", "amount.amount" },
        { "an exponent", """{"accountId":"{wallet}","amount":{"amount":1e3,"currency":"USD"},"source":{"type":"card","token":"tok_sandbox_success"}}""", "amount.amount" },
        { "2^63", """{"accountId":"{wallet}","amount":{"amount":9223372036854775808,"currency":"USD"},"source":{"type":"card","token":"tok_sandbox_success"}}""", "amount.amount" },
        { "a number for a UUID", """{"accountId":123,"amount":{"amount":10,"currency":"USD"},"source":{"type":"card","token":"tok_sandbox_success"}}""", "accountId" },
    };

    [Theory]
    [MemberData(nameof(UnreadableDeposits))]
    public async Task Deposit_UnreadableJson_Returns400NamingTheField_NeverFrameworkText(string name, string? template, string field)
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.SendAsync(HttpMethod.Post, "/api/payments/deposit", user.Token,
            template?.Replace("{wallet}", user.WalletId.ToString()), Guid.NewGuid().ToString());

        await AssertFieldErrorAsync(response, field, name);
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(0);
    }

    public static TheoryData<string, string, string, string> MisshapenRequests => new()
    {
        { "a deposit without a source", "deposit", """{"accountId":"{wallet}","amount":{"amount":10,"currency":"USD"}}""", "source" },
        { "a deposit from an unknown source type", "deposit", """{"accountId":"{wallet}","amount":{"amount":10,"currency":"USD"},"source":{"type":"paypal","token":"t"}}""", "source.type" },
        { "a deposit with a blank token", "deposit", """{"accountId":"{wallet}","amount":{"amount":10,"currency":"USD"},"source":{"type":"card","token":"  "}}""", "source.token" },
        { "a deposit without an amount", "deposit", """{"accountId":"{wallet}","source":{"type":"card","token":"tok_sandbox_success"}}""", "amount" },
        { "an amount without a currency", "deposit", """{"accountId":"{wallet}","amount":{"amount":10},"source":{"type":"card","token":"tok_sandbox_success"}}""", "amount.currency" },
        { "a memo over 280 characters", "send", """{"fromAccountId":"{wallet}","toUserId":"{wallet}","amount":{"amount":10,"currency":"USD"},"memo":"{memo}"}""", "memo" },
        { "a withdrawal without a destination", "withdraw", """{"accountId":"{wallet}","amount":{"amount":10,"currency":"USD"}}""", "destination" },
        { "a withdrawal to an unknown destination type", "withdraw", """{"accountId":"{wallet}","amount":{"amount":10,"currency":"USD"},"destination":{"type":"cash"}}""", "destination.type" },
    };

    /// <summary>Shapes are checked by the built-in validation (data annotations on the request records), before the handler.</summary>
    [Theory]
    [MemberData(nameof(MisshapenRequests))]
    public async Task MoneyRequest_WrongShape_Returns400NamingTheCamelCaseField_AndMovesNothing(string name, string operation, string template, string field)
    {
        var user = await _api.NewUserAsync(fund: 1_000);

        using var response = await _api.SendAsync(HttpMethod.Post, $"/api/payments/{operation}", user.Token,
            template.Replace("{wallet}", user.WalletId.ToString()).Replace("{memo}", new string('m', 281)), Guid.NewGuid().ToString());

        await AssertFieldErrorAsync(response, field, name);
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(1_000);
    }

    [Fact]
    public async Task History_LimitNotANumber_Returns400NamingLimit()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.SendAsync(HttpMethod.Get, "/api/payments/histories?limit=abc", user.Token);

        await AssertFieldErrorAsync(response, "limit", "?limit=abc");
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field, string what)
    {
        var raw = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{what}: {raw}");
        var problem = await PaymentsApi.ReadProblemAsync(response);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([field], $"{what}: {raw}");
        foreach (var framework in new[] { "Failed to", "parameter", "Implicit body", "System.", "Nullable" })
        {
            raw.ShouldNotContain(framework, Case.Insensitive, $"{what}: {raw}");
        }
    }

    private async Task<List<EntryDto>> HistoryAsync(TestUser user)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/payments/histories", user.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await PaymentsApi.ReadAsync<PageDto<EntryDto>>(response)).Items;
    }
}
