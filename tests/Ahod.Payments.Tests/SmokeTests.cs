using System.Net;

namespace Ahod.Payments.Tests;

public sealed class DepositTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    [Fact]
    public async Task Deposit_SuccessToken_Returns201AndCreditsTheWallet()
    {
        var user = await _api.NewUserAsync();

        using var response = await _api.DepositAsync(user, 1500);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var transfer = await PaymentsApi.ReadAsync<TransferDto>(response);
        transfer.Status.ShouldBe("posted");
        transfer.Amount.ShouldBe(new MoneyDto(1500, "USD"));
        (await _api.WalletAsync(user)).Available.Amount.ShouldBe(1500);
        await _api.AssertLedgerBalancedAsync();
    }
}
