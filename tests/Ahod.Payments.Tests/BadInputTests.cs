using System.Net;
using Ahod.Testing;

namespace Ahod.Payments.Tests;

public sealed class BadInputTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    public static TheoryData<string, string, int> BadSends => new()
    {
        { "zero", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":0,"currency":"USD"}}""", 400 },
        { "negative", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":-5,"currency":"USD"}}""", 400 },
        { "fractional", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":10.5,"currency":"USD"}}""", 400 },
        { "overflowing", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":99999999999999999999999,"currency":"USD"}}""", 400 },
        { "too large", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":9223372036854775807,"currency":"USD"}}""", 400 },
        { "amount as string", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":"10","currency":"USD"}}""", 400 },
        { "unknown currency", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":10,"currency":"XYZ"}}""", 400 },
        { "lower-case currency", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":10,"currency":"usd"}}""", 400 },
        { "no amount", """{"fromAccountId":"{from}","toUserId":"{to}"}""", 400 },
        { "malformed json", """{"fromAccountId":""", 400 },
        { "mismatched currency", """{"fromAccountId":"{from}","toUserId":"{to}","amount":{"amount":10,"currency":"EUR"}}""", 422 },
        { "to yourself", """{"fromAccountId":"{from}","toUserId":"{self}","amount":{"amount":10,"currency":"USD"}}""", 422 },
        { "not my wallet", """{"fromAccountId":"{theirs}","toUserId":"{to}","amount":{"amount":10,"currency":"USD"}}""", 404 },
    };

    [Theory]
    [MemberData(nameof(BadSends))]
    public async Task Send_BadInput_Returns4xxProblemAndChangesNothing(string name, string template, int status)
    {
        var sender = await _api.NewUserAsync(fund: 1000);
        var recipient = await _api.NewUserAsync(fund: 1000);
        var body = template.Replace("{from}", sender.WalletId.ToString()).Replace("{to}", recipient.Id.ToString())
            .Replace("{self}", sender.Id.ToString()).Replace("{theirs}", recipient.WalletId.ToString());
        // Other tests run beside this one: count only the transfers that touch these two users' wallets.
        const string Touching = "SELECT count(*) FROM transfers WHERE debit_account_id IN ($1, $2) OR credit_account_id IN ($1, $2)";
        var transfersBefore = await _api.ScalarAsync<long>(Touching, sender.WalletId, recipient.WalletId);

        using var response = await _api.SendAsync(HttpMethod.Post, "/api/payments/send", sender.Token, body, Guid.NewGuid().ToString());

        ((int)response.StatusCode).ShouldBe(status, $"{name}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        var problem = await PaymentsApi.ReadProblemAsync(response);
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        (await _api.WalletAsync(sender)).Available.Amount.ShouldBe(1000);
        (await _api.WalletAsync(recipient)).Available.Amount.ShouldBe(1000);
        (await _api.ScalarAsync<long>(Touching, sender.WalletId, recipient.WalletId)).ShouldBe(transfersBefore);
    }

    [Fact]
    public async Task Send_WithoutIdempotencyKey_Returns400()
    {
        var sender = await _api.NewUserAsync(fund: 100);
        var recipient = await _api.NewUserAsync();

        using var response = await _api.SendAsync(HttpMethod.Post, "/api/payments/send", sender.Token,
            new { fromAccountId = sender.WalletId, toUserId = recipient.Id, amount = new { amount = 10, currency = "USD" } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PaymentsApi.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
        (await _api.WalletAsync(sender)).Available.Amount.ShouldBe(100);
    }

    [Fact]
    public async Task MoneyMovement_WithUnverifiedEmail_Returns403Problem_AndLeavesTheKeyUnused()
    {
        var unverified = await _api.NewUserAsync(verified: false);
        var recipient = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        using var deposit = await _api.DepositAsync(unverified, 100, key: key);
        using var send = await _api.SendMoneyAsync(unverified, recipient.Id, 10);

        deposit.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        send.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await PaymentsApi.ReadProblemAsync(deposit);
        problem.GetProperty("status").GetInt32().ShouldBe(403);
        problem.GetProperty("title").GetString().ShouldBe("Email not verified.");
        problem.GetProperty("detail").GetString().ShouldBe("Verify your email address before moving money.");
        problem.GetProperty("type").GetString().ShouldStartWith("https://");
        problem.GetProperty("instance").GetString().ShouldBe("/api/payments/deposit");
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        (await _api.WalletAsync(unverified)).Available.Amount.ShouldBe(0);
        (await _api.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = $1", key)).ShouldBe(0L, "a refused request claims no key");

        // Once verified (and signed in again, so the token says so), the same key runs the deposit for the first time.
        var token = await TestAccounts.ReadVerificationTokenAsync(fixture.MailDirectory, unverified.Email, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using (var verify = await _api.SendAsync(HttpMethod.Post, "/api/auth/verify-email", null, new { email = unverified.Email, token }))
        {
            verify.IsSuccessStatusCode.ShouldBeTrue();
        }

        var (_, verifiedToken) = await TestAccounts.SignInAsync(_api.Client, unverified.Email, TestContext.Current.CancellationToken);
        using var retried = await _api.DepositAsync(unverified with { Token = verifiedToken }, 100, key: key);
        retried.StatusCode.ShouldBe(HttpStatusCode.Created, await retried.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        retried.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        (await _api.WalletAsync(unverified)).Available.Amount.ShouldBe(100);
    }
}
