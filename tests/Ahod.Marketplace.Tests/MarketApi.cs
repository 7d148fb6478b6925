using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Testing;
using static Ahod.Testing.Eventually;
using Npgsql;

namespace Ahod.Marketplace.Tests;

/// <summary>A signed-up, email-verified user with a funded USD wallet.</summary>
public sealed record TestUser(Guid Id, string Email, string Token, Guid WalletId);

/// <summary>Calls the public API through the gateway like the web app does; each test creates its own users and listings.</summary>
public sealed partial class MarketApi(MarketplaceAppFixture fixture)
{
    public const string Password = TestAccounts.Password;

    public HttpClient Client { get; } = fixture.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<TestUser> NewUserAsync(long fund = 100_000)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"mkt.{id}@ahod.test";
        var (userId, accessToken) = await TestAccounts.SignUpAsync(Client, fixture.MailDirectory, email, $"m_{id}", "Mark", "Et", cancellationToken: Ct);
        var walletId = await EventuallyAsync<Guid?>(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/payments/accounts", accessToken);
            var wallets = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return wallets.EnumerateArray().Where(w => w.GetProperty("currency").GetString() == "USD").Select(w => (Guid?)w.GetProperty("id").GetGuid()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), "the USD wallet", Ct);
        var user = new TestUser(userId, email, accessToken, walletId!.Value);
        if (fund > 0)
        {
            using var deposit = await SendAsync(HttpMethod.Post, "/api/payments/deposit", accessToken,
                new { accountId = user.WalletId, amount = new { amount = fund, currency = "USD" }, source = new { type = "card", token = "tok_sandbox_success" } },
                Guid.NewGuid().ToString());
            deposit.IsSuccessStatusCode.ShouldBeTrue(await deposit.Content.ReadAsStringAsync(Ct));
            await EventuallyAsync<object>(async () => (await BalancesAsync(user)).Available >= fund ? new object() : null, TimeSpan.FromSeconds(30), "the deposit to settle", Ct);
        }

        return user;
    }

    public async Task<(string Token, Guid Id)> SignInAsync(string email)
    {
        var (id, token) = await TestAccounts.SignInAsync(Client, email, Ct);
        return (token, id);
    }

    public async Task<(long Available, long Pending)> BalancesAsync(TestUser user)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/payments/accounts", user.Token);
        var wallets = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var wallet = wallets.EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == user.WalletId);
        return (wallet.GetProperty("available").GetProperty("amount").GetInt64(), wallet.GetProperty("pending").GetProperty("amount").GetInt64());
    }

    public static object ListingBody(
        string kind = "sale", string category = "goods", string? title = null, string description = "Gently used, collect in town.",
        long price = 1_500, string priceUnit = "item", string city = "Accra", object? attributes = null, string status = "published") => new
    {
        kind,
        category,
        title = title ?? $"Desk lamp {Guid.NewGuid().ToString("N")[..6]}",
        description,
        price = new { amount = price, currency = "USD" },
        priceUnit,
        location = new { city, region = "Greater Accra", country = "GH" },
        attributes = attributes ?? new { },
        status,
    };

    public async Task<JsonElement> CreateListingAsync(TestUser owner, object? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/listings", owner.Token, body ?? ListingBody());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    public async Task<JsonElement> CreateRequestAsync(TestUser requester, Guid listingId, object? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/requests", requester.Token, body ?? new { message = "Is it still available?" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    public Task<HttpResponseMessage> SetStatusAsync(TestUser user, Guid requestId, string status, string? reason = null) =>
        SendAsync(HttpMethod.Patch, $"/api/requests/{requestId}", user.Token, new { status, reason });

    public Task<HttpResponseMessage> PayAsync(TestUser user, Guid requestId, string? key = null) =>
        SendAsync(HttpMethod.Post, $"/api/requests/{requestId}/payment", user.Token, new { }, key ?? Guid.NewGuid().ToString());

    public async Task<JsonElement> GetAsync(TestUser? user, string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, user?.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null) =>
        Client.SendApiAsync(method, path, token, body, idempotencyKey, Ct);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    /// <summary>The problem's field names, asserting a 400 ValidationProblem.</summary>
    public static async Task<string[]> ErrorKeysAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
    }

    public static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
    }

    /// <summary>One scalar from a database of the app (marketplacedb, paymentsdb).</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
