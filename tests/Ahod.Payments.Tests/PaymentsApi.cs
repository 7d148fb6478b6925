using Ahod.Testing;
using static Ahod.Testing.Eventually;
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
    public const string Password = TestAccounts.Password;

    public HttpClient Client { get; } = fixture.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Signs up through Identity, verifies the email from the pickup folder, signs in again, waits for the wallet.</summary>
    public async Task<TestUser> NewUserAsync(bool verified = true, long fund = 0)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"pay.{id}@ahod.test";
        var (userId, accessToken) = await TestAccounts.SignUpAsync(
            Client, fixture.MailDirectory, email, $"p_{id}", "Pay", "Tester", verified, TimeSpan.FromSeconds(10), Ct);

        // The wallet is opened by Payments when it handles user.registered.
        var wallet = await EventuallyAsync(async () => (await WalletsAsync(accessToken)).FirstOrDefault(w => w.Currency == "USD"),
            TimeSpan.FromSeconds(20), "the USD wallet opened on user.registered", Ct);
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

    /// <summary>The ledger's invariants (<see cref="LedgerInvariants"/>), checked in SQL after every test that moves money.</summary>
    public async Task AssertLedgerBalancedAsync() =>
        (await LedgerInvariants.ViolationsAsync(fixture.PaymentsDb, Ct)).ShouldBeEmpty();
}
