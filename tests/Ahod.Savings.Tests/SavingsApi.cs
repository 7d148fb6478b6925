using Ahod.Testing;
using static Ahod.Testing.Eventually;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ahod.Savings.Tests;

/// <summary>A signed-up, email-verified user with a funded USD wallet.</summary>
public sealed record TestUser(Guid Id, string Email, string Token, Guid WalletId);

/// <summary>Calls the public API through the gateway like the web app does; each test creates its own users and communities.</summary>
public sealed partial class SavingsApi(SavingsAppFixture fixture)
{
    public const string Password = TestAccounts.Password;

    public HttpClient Client { get; } = fixture.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<TestUser> NewUserAsync(long fund = 100_000)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"sav.{id}@ahod.test";
        var (userId, accessToken) = await TestAccounts.SignUpAsync(Client, fixture.MailDirectory, email, $"s_{id}", "Sav", "Tester", cancellationToken: Ct);

        // Payments opens the wallet when it handles user.registered.
        var walletId = await EventuallyAsync<Guid?>(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/payments/accounts", accessToken);
            var wallets = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return wallets.EnumerateArray().Where(w => w.GetProperty("currency").GetString() == "USD").Select(w => (Guid?)w.GetProperty("id").GetGuid()).FirstOrDefault();
        }, TimeSpan.FromSeconds(20), "the USD wallet", Ct);
        var user = new TestUser(userId, email, accessToken, walletId!.Value);
        if (fund > 0)
        {
            using var deposit = await SendAsync(HttpMethod.Post, "/api/payments/deposit", accessToken,
                new { accountId = user.WalletId, amount = new { amount = fund, currency = "USD" }, source = new { type = "card", token = "tok_sandbox_success" } },
                Guid.NewGuid().ToString());
            deposit.IsSuccessStatusCode.ShouldBeTrue(await deposit.Content.ReadAsStringAsync(Ct));
            await EventuallyAsync<object>(async () => await WalletBalanceAsync(user) >= fund ? new object() : null, TimeSpan.FromSeconds(20), "the deposit to settle", Ct);
        }

        return user;
    }

    public async Task<long> WalletBalanceAsync(TestUser user)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/payments/accounts", user.Token);
        var wallets = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return wallets.EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == user.WalletId).GetProperty("available").GetProperty("amount").GetInt64();
    }

    /// <summary>The pot's posted balance as Payments' ledger has it.</summary>
    public async Task<long> PotBalanceAsync(Guid potAccountId)
    {
        using var payments = fixture.CreateInternalClient("payments");
        var account = await payments.GetFromJsonAsync<JsonElement>($"/internal/accounts/{potAccountId}", Ct);
        return account.GetProperty("balance").GetProperty("amount").GetInt64();
    }

    public static object CommunityBody(
        string payoutMethod = "rotation", bool isPrivate = true, long contribution = 1_000, int maxMembers = 10, long lateFee = 0,
        int graceDays = 0, int strikes = 3, string? name = null, bool autoClose = false) => new
    {
        name = name ?? $"Circle {Guid.NewGuid().ToString("N")[..6]}",
        bio = "Paying off our student loans together.",
        goal = new { amount = 1_000_000, currency = "USD" },
        contribution = new { amount = contribution, currency = "USD" },
        frequency = "monthly",
        payoutMethod,
        maxMembers,
        isPrivate,
        rules = new { graceDays, lateFee = new { amount = lateFee, currency = "USD" }, strikesUntilSuspension = strikes, autoClose },
    };

    public async Task<JsonElement> CreateCommunityAsync(TestUser admin, object? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/communities", admin.Token, body ?? CommunityBody());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    /// <summary>A community with an admin and <paramref name="others"/> members who joined with the invite code, in that order.</summary>
    public async Task<(JsonElement Community, List<TestUser> Members)> CommunityWithMembersAsync(int others, object? body = null, long fund = 100_000)
    {
        var users = new List<TestUser>();
        foreach (var task in Enumerable.Range(0, others + 1).Select(_ => NewUserAsync(fund)).ToList())
        {
            users.Add(await task);
        }

        var community = await CreateCommunityAsync(users[0], body);
        var id = community.GetProperty("id").GetGuid();
        var code = community.GetProperty("inviteCode").GetString()!;
        foreach (var member in users.Skip(1))
        {
            using var join = await SendAsync(HttpMethod.Post, $"/api/communities/{id}/join", member.Token, new { inviteCode = code });
            join.StatusCode.ShouldBe(HttpStatusCode.Created, await join.Content.ReadAsStringAsync(Ct));
        }

        return (community, users);
    }

    public Task<HttpResponseMessage> ContributeAsync(TestUser user, Guid communityId, object? body = null, string? key = null) =>
        SendAsync(HttpMethod.Post, $"/api/communities/{communityId}/contributions", user.Token, body ?? new { }, key ?? Guid.NewGuid().ToString());

    public Task<HttpResponseMessage> PayoutAsync(TestUser user, Guid communityId, int cycle) =>
        SendAsync(HttpMethod.Post, $"/api/communities/{communityId}/cycles/{cycle}/payout", user.Token, new { }, Guid.NewGuid().ToString());

    public async Task<JsonElement> GetAsync(TestUser user, string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, user.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null) =>
        Client.SendApiAsync(method, path, token, body, idempotencyKey, Ct);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public Task<T> ReadMailAsync<T>(string address, Regex pattern, Func<Match, T> read) where T : notnull =>
        TestAccounts.ReadMailAsync(fixture.MailDirectory, address, pattern, read, TimeSpan.FromSeconds(15), Ct);
}
