using System.Net;

namespace Ahod.Payments.Tests;

/// <summary>What a client relies on through the gateway beyond moving money: cache headers and what the history shows.</summary>
public sealed class ContractTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertNoStoreAsync(HttpResponseMessage response, string what)
    {
        response.IsSuccessStatusCode.ShouldBeTrue($"{what}: {await response.Content.ReadAsStringAsync(Ct)}");
        response.Headers.CacheControl?.NoStore.ShouldBe(true, $"{what} answers Cache-Control: {response.Headers.CacheControl}");
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
}
