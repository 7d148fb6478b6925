using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Payments.Data;
using Ahod.Testing;
using Microsoft.EntityFrameworkCore;
using static Ahod.Testing.Eventually;

namespace Ahod.Payments.Tests;

public sealed class InternalApiTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Internal()
    {
        var client = fixture.CreatePaymentsClient();
        client.DefaultRequestHeaders.Add("X-Ahod-Internal-Key", fixture.InternalApiKey);
        return client;
    }

    [Fact]
    public async Task InternalApi_WithoutTheKey_Returns401_AndIsNotRoutedByTheGateway()
    {
        using var direct = fixture.CreatePaymentsClient();
        using var noKey = await direct.GetAsync($"/internal/users/{Guid.NewGuid()}/wallets", Ct);
        noKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var viaGateway = await _api.Client.GetAsync($"/internal/users/{Guid.NewGuid()}/wallets", Ct);
        viaGateway.IsSuccessStatusCode.ShouldBeFalse();
    }

    [Fact]
    public async Task Transfer_ReplayedId_ReturnsTheOriginalOnce_AndOverdraftIs422()
    {
        var user = await _api.NewUserAsync(fund: 1000);
        using var client = Internal();
        using var pot = await client.PostAsJsonAsync("/internal/accounts/pots", new { ownerType = "community", ownerId = Guid.NewGuid(), currency = "USD" }, Ct);
        pot.StatusCode.ShouldBe(HttpStatusCode.Created);
        var potId = (await pot.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var id = Guid.CreateVersion7();
        var body = new { id, debitAccountId = user.WalletId, creditAccountId = potId, amount = new { amount = 300, currency = "USD" }, code = "contribution" };

        using var first = await client.PostAsJsonAsync("/internal/transfers", body, Ct);
        using var replay = await client.PostAsJsonAsync("/internal/transfers", body, Ct);
        using var overdraft = await client.PostAsJsonAsync("/internal/transfers",
            body with { id = Guid.CreateVersion7(), amount = new { amount = 800, currency = "USD" } }, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid().ShouldBe(id);
        overdraft.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(700);
        using var account = await client.GetAsync($"/internal/accounts/{potId}", Ct);
        (await account.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("balance").GetProperty("amount").GetInt64().ShouldBe(300);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Hold_PlacedThenPartlyPosted_MovesThePostedPartAndReleasesTheRest()
    {
        var buyer = await _api.NewUserAsync(fund: 1000);
        var seller = await _api.NewUserAsync();
        using var client = Internal();
        var holdId = Guid.CreateVersion7();

        using var hold = await client.PostAsJsonAsync("/internal/holds", new
        {
            id = holdId, debitAccountId = buyer.WalletId, creditAccountId = seller.WalletId,
            amount = new { amount = 600, currency = "USD" }, code = "escrow", timeoutSeconds = 3600, reference = "request-1",
        }, Ct);
        hold.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.WalletAsync(buyer)).Available.Amount.ShouldBe(400);
        (await _api.WalletAsync(seller)).Pending.Amount.ShouldBe(600);

        using var post = await client.PostAsJsonAsync($"/internal/holds/{holdId}/post", new { amount = new { amount = 450, currency = "USD" } }, Ct);
        post.StatusCode.ShouldBe(HttpStatusCode.Created, await post.Content.ReadAsStringAsync(Ct));
        using var again = await client.PostAsJsonAsync($"/internal/holds/{holdId}/post", new { amount = new { amount = 450, currency = "USD" } }, Ct);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var voidAfterPost = await client.PostAsync($"/internal/holds/{holdId}/void", null, Ct);
        voidAfterPost.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        (await _api.WalletAsync(buyer)).Available.Amount.ShouldBe(550);
        var sellerWallet = await _api.WalletAsync(seller);
        sellerWallet.Available.Amount.ShouldBe(450);
        sellerWallet.Pending.Amount.ShouldBe(0);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Hold_Voided_OrTimedOut_GivesTheMoneyBack()
    {
        var buyer = await _api.NewUserAsync(fund: 1000);
        var seller = await _api.NewUserAsync();
        using var client = Internal();
        var voided = Guid.CreateVersion7();
        var expiring = Guid.CreateVersion7();
        foreach (var (id, timeout) in new[] { (voided, 3600), (expiring, 1) })
        {
            using var hold = await client.PostAsJsonAsync("/internal/holds", new
            {
                id, debitAccountId = buyer.WalletId, creditAccountId = seller.WalletId,
                amount = new { amount = 300, currency = "USD" }, code = "escrow", timeoutSeconds = timeout,
            }, Ct);
            hold.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var voidResponse = await client.PostAsync($"/internal/holds/{voided}/void", null, Ct);
        voidResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await voidResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString().ShouldBe("voided");

        await EventuallyAsync(async () =>
            await _api.ScalarAsync<string>("SELECT status FROM transfers WHERE id = $1", expiring) == "expired" ? (object)true : null,
            TimeSpan.FromSeconds(15), "the hold to expire", TestContext.Current.CancellationToken);
        using var postExpired = await client.PostAsJsonAsync($"/internal/holds/{expiring}/post", new { }, Ct);
        postExpired.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _api.WalletAsync(buyer)).Available.Amount.ShouldBe(1000);
        (await _api.WalletAsync(seller)).Pending.Amount.ShouldBe(0);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task GdprExport_ListsTheUsersAccountsTransfersAndMaskedDestinations()
    {
        var user = await _api.NewUserAsync(fund: 500);
        using var withdraw = await _api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", user.Token, new
        {
            accountId = user.WalletId, amount = new { amount = 100, currency = "USD" },
            destination = new { type = "mobileMoney", phoneNumber = "+233201234567" },
        }, Guid.NewGuid().ToString());
        withdraw.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var client = Internal();

        using var export = await client.GetAsync($"/internal/gdpr/users/{user.Id}", Ct);

        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await export.Content.ReadAsStringAsync(Ct);
        text.ShouldNotContain("+233201234567");
        var json = JsonDocument.Parse(text).RootElement;
        json.GetProperty("service").GetString().ShouldBe("payments");
        json.GetProperty("data").GetProperty("accounts").GetArrayLength().ShouldBe(1);
        json.GetProperty("data").GetProperty("transfers").GetArrayLength().ShouldBe(2);
        json.GetProperty("data").GetProperty("withdrawalDestinations")[0].GetProperty("last4").GetString().ShouldBe("4567");
    }

    [Fact]
    public async Task Migrations_BuildExactlyTheModelsSchema()
    {
        await SchemaAssert.MigrationsMatchModelAsync(fixture.PaymentsDb, connectionString =>
        {
            var options = new DbContextOptionsBuilder<PaymentsDbContext>().UseNpgsql(connectionString);
            PaymentsExtensions.ConfigureDbContext(options);
            return new PaymentsDbContext(options.Options);
        }, Ct);
    }
}
