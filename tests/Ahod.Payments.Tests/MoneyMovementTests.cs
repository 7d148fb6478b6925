using System.Net;
using System.Text.Json;
using static Ahod.Testing.Eventually;

namespace Ahod.Payments.Tests;

public sealed class MoneyMovementTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deposit_SuccessToken_Returns201AndCreditsTheWallet()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.DepositAsync(user, 1500);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var transfer = await PaymentsApi.ReadAsync<TransferDto>(response);
        transfer.Status.ShouldBe("posted");
        transfer.Amount.ShouldBe(new MoneyDto(1500, "USD"));
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(1500);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Deposit_SlowToken_Returns202PendingThenSettles()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.DepositAsync(user, 700, "tok_sandbox_slow");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var pending = await PaymentsApi.ReadAsync<TransferDto>(response);
        pending.Status.ShouldBe("pending");
        var wallet = await _api.WalletAsync(user);
        wallet.Pending.Amount.ShouldBe(700);
        wallet.Available.Amount.ShouldBe(0);

        await EventuallyAsync(async () => (await _api.WalletAsync(user)).Available.Amount == 700 ? (object)true : null,
            TimeSpan.FromSeconds(15), "the slow deposit to settle", TestContext.Current.CancellationToken);
        using var hold = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{pending.Id}", user.Token);
        (await PaymentsApi.ReadAsync<TransferDto>(hold)).Status.ShouldBe("posted");
        (await _api.WalletAsync(user)).Pending.Amount.ShouldBe(0);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Deposit_DeclineToken_Returns422AndMovesNothing()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.DepositAsync(user, 900, "tok_sandbox_decline");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await PaymentsApi.ReadProblemAsync(response);
        problem.GetProperty("code").GetString().ShouldBe("declined");
        var transferId = problem.GetProperty("transferId").GetGuid();
        using var declined = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{transferId}", user.Token);
        (await PaymentsApi.ReadAsync<TransferDto>(declined)).Status.ShouldBe("declined");
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(0);
    }

    [Fact]
    public async Task Withdraw_ToBank_EncryptsTheDestinationAndShowsOnlyLastFour()
    {
        var user = await _api.NewUserAsync(fund: 5000);
        const string accountNumber = "000123456789";

        using var response = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", user.Token, new
        {
            accountId = user.WalletId,
            amount = new { amount = 1200, currency = "USD" },
            destination = new { type = "bank", accountNumber, routingNumber = "021000021" },
        }, Guid.NewGuid().ToString());

        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        body.ShouldNotContain(accountNumber);
        body.ShouldNotContain("021000021");
        var withdrawal = JsonDocument.Parse(body).RootElement;
        withdrawal.GetProperty("destination").GetProperty("last4").GetString().ShouldBe("6789");
        var transferId = withdrawal.GetProperty("id").GetGuid();
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(3800);

        var ciphertext = await _api.ScalarAsync<byte[]>("SELECT ciphertext FROM withdrawal_destinations WHERE transfer_id = $1", transferId);
        System.Text.Encoding.UTF8.GetString(ciphertext).ShouldNotContain(accountNumber);
        System.Text.Encoding.Latin1.GetString(ciphertext).ShouldNotContain("123456789");
        (await _api.ScalarAsync<string>("SELECT key_id FROM withdrawal_destinations WHERE transfer_id = $1", transferId)).ShouldNotBeNullOrEmpty();
        (await _api.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE response_body LIKE '%' || $1 || '%'", accountNumber)).ShouldBe(0L);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Withdraw_MoreThanBalance_Returns422AndChangesNothing()
    {
        var user = await _api.NewUserAsync(fund: 100);

        using var response = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", user.Token, new
        {
            accountId = user.WalletId,
            amount = new { amount = 101, currency = "USD" },
            destination = new { type = "mobileMoney", phoneNumber = "+254712345678" },
        }, Guid.NewGuid().ToString());

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await PaymentsApi.ReadProblemAsync(response)).GetProperty("code").GetString().ShouldBe("insufficient_funds");
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(100);
    }

    [Fact]
    public async Task Send_ToAnotherUser_MovesMoneyAndBothSeeIt_OthersGet404()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var eve = await _api.NewUserAsync();

        using var response = await _api.SendMoneyAsync(alice, bob.Id, 250);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var transfer = await PaymentsApi.ReadAsync<TransferDto>(response);
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(750);
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(250);
        foreach (var party in new[] { alice, bob })
        {
            using var seen = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{transfer.Id}", party.Token);
            seen.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var hidden = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{transfer.Id}", eve.Token);
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var missing = await _api.SendAsync(HttpMethod.Get, $"/api/payments/transfers/{Guid.NewGuid()}", alice.Token);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task History_IsCursorPagedNewestFirst_WithBalanceAfterEachEntry()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        for (var i = 1; i <= 5; i++)
        {
            using var sent = await _api.SendMoneyAsync(alice, bob.Id, i * 10);
            sent.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var entries = new List<EntryDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var page = await _api.SendAsync(HttpMethod.Get, $"/api/payments/histories?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", alice.Token);
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            var dto = await PaymentsApi.ReadAsync<PageDto<EntryDto>>(page);
            dto.Items.Count.ShouldBeLessThanOrEqualTo(2);
            entries.AddRange(dto.Items);
            cursor = dto.NextCursor;
            pages++;
        }
        while (cursor is not null);

        pages.ShouldBe(3);
        entries.Select(e => e.Amount.Amount).ShouldBe([-50, -40, -30, -20, -10, 1000]);
        entries.Select(e => e.BalanceAfter.Amount).ShouldBe([850, 900, 940, 970, 990, 1000]);
        entries.Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Descending);

        using var bobs = await _api.SendAsync(HttpMethod.Get, "/api/payments/histories", bob.Token);
        var bobEntries = (await PaymentsApi.ReadAsync<PageDto<EntryDto>>(bobs)).Items;
        bobEntries.Select(e => e.BalanceAfter.Amount).ShouldBe([150, 100, 60, 30, 10]);
        bobEntries.ShouldAllBe(e => e.AccountId == bob.WalletId);
    }

    [Fact]
    public async Task OpenWallet_InAnotherCurrency_IsIdempotent()
    {
        var user = await _api.NewUserAsync();

        using var first = await _api.SendAsync(HttpMethod.Post, "/api/payments/accounts", user.Token, new { currency = "EUR" });
        using var second = await _api.SendAsync(HttpMethod.Post, "/api/payments/accounts", user.Token, new { currency = "EUR" });
        using var bad = await _api.SendAsync(HttpMethod.Post, "/api/payments/accounts", user.Token, new { currency = "eur" });

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PaymentsApi.ReadAsync<WalletDto>(first)).Id.ShouldBe((await PaymentsApi.ReadAsync<WalletDto>(second)).Id);
        (await _api.WalletsAsync(user.Token)).Select(w => w.Currency).Order().ShouldBe(["EUR", "USD"]);
    }

    [Fact]
    public async Task NoToken_Returns401()
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/payments/accounts", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
