using System.Net;

namespace Ahod.Payments.Tests;

public sealed class ConcurrencyTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    [Fact]
    public async Task ThousandConcurrentTransfers_AmongTwentyWallets_KeepTheLedgerBalanced()
    {
        const int wallets = 20;
        const long funding = 10_000;
        var users = await Task.WhenAll(Enumerable.Range(0, wallets).Select(_ => _api.NewUserAsync(fund: funding)));
        var random = new Random(42);
        // Amounts up to 40% of a starting balance: many transfers overdraw, and must fail alone.
        var plan = Enumerable.Range(0, 1000).Select(_ =>
        {
            var from = random.Next(wallets);
            var to = (from + 1 + random.Next(wallets - 1)) % wallets;
            return (From: users[from], To: users[to], Amount: (long)random.Next(1, 4000));
        }).ToList();

        var statuses = await Task.WhenAll(plan.Select(async p =>
        {
            using var response = await _api.SendMoneyAsync(p.From, p.To.Id, p.Amount);
            return response.StatusCode;
        }));

        statuses.ShouldAllBe(s => s == HttpStatusCode.Created || s == HttpStatusCode.UnprocessableEntity,
            string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")));
        statuses.Count(s => s == HttpStatusCode.Created).ShouldBeGreaterThan(300);
        var balances = await Task.WhenAll(users.Select(async u => (await _api.WalletAsync(u)).Available.Amount));
        balances.ShouldAllBe(b => b >= 0);
        balances.Sum().ShouldBe(wallets * funding);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task FirstDepositsInACurrency_ArrivingTogether_AllSucceed()
    {
        // No other test touches GHS, so the provider's GHS clearing account does not exist yet: every deposit
        // below races to open it (a lost race once answered 500).
        var users = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _api.NewUserAsync()));
        var wallets = await Task.WhenAll(users.Select(async u =>
        {
            using var open = await _api.SendAsync(HttpMethod.Post, "/api/payments/accounts", u.Token, new { currency = "GHS" });
            open.StatusCode.ShouldBe(HttpStatusCode.Created);
            return (await PaymentsApi.ReadAsync<WalletDto>(open)).Id;
        }));

        var statuses = await Task.WhenAll(users.Select(async (u, i) =>
        {
            using var deposit = await _api.SendAsync(HttpMethod.Post, "/api/payments/deposit", u.Token,
                new { accountId = wallets[i], amount = new { amount = 500, currency = "GHS" }, source = new { type = "card", token = "tok_sandbox_success" } },
                Guid.NewGuid().ToString());
            return deposit.StatusCode;
        }));

        statuses.ShouldAllBe(s => s == HttpStatusCode.Created);
    }
}
