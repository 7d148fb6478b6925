using Ahod.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ahod.Payments.Tests;

public sealed record MoneyDto(long Amount, string Currency);

public sealed record WalletDto(Guid Id, string Currency, MoneyDto Available, MoneyDto Pending);

public sealed record TransferDto(Guid Id, string Status, MoneyDto Amount, Guid DebitAccountId, Guid CreditAccountId, string Code, DateTimeOffset CreatedAt);

public sealed record EntryDto(string Id, Guid TransferId, Guid AccountId, MoneyDto Amount, bool Pending, MoneyDto BalanceAfter, string Code);

public sealed record PageDto<T>(List<T> Items, string? NextCursor);

/// <summary>A signed-up, email-verified user with a token that says so.</summary>
public sealed record TestUser(Guid Id, string Email, string Token, Guid WalletId);

/// <summary>Calls the public API through the gateway like the web app does; each test creates its own users.</summary>
public sealed partial class PaymentsApi(PaymentsAppFixture fixture)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = fixture.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Signs up through Identity, verifies the email from the pickup folder, signs in again, waits for the wallet.</summary>
    public async Task<TestUser> NewUserAsync(bool verified = true, long fund = 0)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"pay.{id}@ahod.test";
        using (var signup = await Client.PostAsJsonAsync("/api/auth/signup",
                   new { email, password = Password, passwordConfirmation = Password, userName = $"p_{id}", firstName = "Pay", lastName = "Tester" }, Ct))
        {
            signup.StatusCode.ShouldBe(HttpStatusCode.Created, await signup.Content.ReadAsStringAsync(Ct));
        }

        if (verified)
        {
            var token = await ReadVerificationTokenAsync(email);
            using var verify = await Client.PostAsJsonAsync("/api/auth/verify-email", new { email, token }, Ct);
            verify.IsSuccessStatusCode.ShouldBeTrue(await verify.Content.ReadAsStringAsync(Ct));
        }

        using var signin = await Client.PostAsJsonAsync("/api/auth/signin", new { email, password = Password }, Ct);
        signin.StatusCode.ShouldBe(HttpStatusCode.OK);
        var auth = await signin.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var accessToken = auth.GetProperty("accessToken").GetString()!;
        var userId = auth.GetProperty("user").GetProperty("id").GetGuid();

        // The wallet is opened by Payments when it handles user.registered.
        var wallet = await EventuallyAsync(async () => (await WalletsAsync(accessToken)).FirstOrDefault(w => w.Currency == "USD"),
            TimeSpan.FromSeconds(20), "the USD wallet opened on user.registered");
        var user = new TestUser(userId, email, accessToken, wallet.Id);
        if (fund > 0)
        {
            using var deposit = await DepositAsync(user, fund);
            deposit.StatusCode.ShouldBe(HttpStatusCode.Created, await deposit.Content.ReadAsStringAsync(Ct));
        }

        return user;
    }

    public async Task<List<WalletDto>> WalletsAsync(string token)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/payments/accounts", token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<List<WalletDto>>(JsonSerializerOptions.Web, Ct))!;
    }

    public async Task<WalletDto> WalletAsync(TestUser user) => (await WalletsAsync(user.Token)).Single(w => w.Id == user.WalletId);

    public Task<HttpResponseMessage> DepositAsync(TestUser user, long amount, string token = "tok_sandbox_success", string? key = null) =>
        SendAsync(HttpMethod.Post, "/api/payments/deposit", user.Token,
            new { accountId = user.WalletId, amount = new { amount, currency = "USD" }, source = new { type = "card", token } },
            key ?? Guid.NewGuid().ToString());

    public Task<HttpResponseMessage> SendMoneyAsync(TestUser from, Guid toUserId, long amount, string? key = null, string currency = "USD") =>
        SendAsync(HttpMethod.Post, "/api/payments/send", from.Token,
            new { fromAccountId = from.WalletId, toUserId, amount = new { amount, currency } }, key ?? Guid.NewGuid().ToString());

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null) =>
        Client.SendApiAsync(method, path, token, body, idempotencyKey, Ct);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Ct))!;

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>One scalar from paymentsdb.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.PaymentsDb);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>
    /// The ledger's invariants, checked in SQL: every account's stored counters equal its entries, no
    /// overdrawn wallet, and per currency the sum of all balances is zero (clearing accounts hold minus what
    /// came in from outside), i.e. user money equals deposits minus withdrawals.
    /// </summary>
    public async Task AssertLedgerBalancedAsync()
    {
        (await ScalarAsync<long>("""
            SELECT count(*) FROM accounts a
            LEFT JOIN LATERAL (
                SELECT coalesce(sum(amount) FILTER (WHERE side = 'D' AND NOT pending), 0) AS dp,
                       coalesce(sum(amount) FILTER (WHERE side = 'C' AND NOT pending), 0) AS cp,
                       coalesce(sum(amount) FILTER (WHERE side = 'D' AND pending), 0) AS dpe,
                       coalesce(sum(amount) FILTER (WHERE side = 'C' AND pending), 0) AS cpe
                FROM entries e WHERE e.account_id = a.id) s ON true
            WHERE a.debits_posted <> s.dp OR a.credits_posted <> s.cp OR a.debits_pending <> s.dpe OR a.credits_pending <> s.cpe
            """)).ShouldBe(0L, "every account's counters equal the sum of its entries");
        (await ScalarAsync<long>("""
            SELECT count(*) FROM accounts WHERE (flags & 1) = 1 AND debits_posted + debits_pending > credits_posted
            """)).ShouldBe(0L, "no wallet, pot or escrow below zero");
        (await ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency
                                  HAVING sum(credits_posted - debits_posted) <> 0 OR sum(credits_pending - debits_pending) <> 0) x
            """)).ShouldBe(0L, "per currency, balances sum to zero: user money = deposits - withdrawals");
        (await ScalarAsync<long>("""
            SELECT count(*) FROM transfers t WHERE t.status IN ('posted', 'pending', 'voided', 'expired')
              AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.transfer_id = t.id)
            """)).ShouldBe(0L, "no transfer without its entries");
        (await ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT transfer_id FROM entries GROUP BY transfer_id
                                  HAVING sum(amount) FILTER (WHERE side = 'D') <> sum(amount) FILTER (WHERE side = 'C')) x
            """)).ShouldBe(0L, "each transfer debits exactly what it credits");
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(100, Ct);
        }
    }

    private async Task<string> ReadVerificationTokenAsync(string address)
    {
        return await EventuallyAsync(async () =>
        {
            foreach (var file in Directory.Exists(fixture.MailDirectory) ? Directory.GetFiles(fixture.MailDirectory, "*.eml") : [])
            {
                var text = await File.ReadAllTextAsync(file, Ct);
                if (text.Contains($"To: {address}", StringComparison.OrdinalIgnoreCase) && LinkPattern().Match(text) is { Success: true } link)
                {
                    return Uri.UnescapeDataString(link.Groups["token"].Value);
                }
            }

            return null;
        }, TimeSpan.FromSeconds(10), $"the verification email to {address}");
    }

    [GeneratedRegex(@"\?email=(?<email>[^&\s]+)&token=(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex LinkPattern();
}
