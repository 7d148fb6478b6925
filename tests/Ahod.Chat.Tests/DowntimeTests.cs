using System.Net;
using System.Text.Json;
using Ahod.Testing;
using static Ahod.Testing.Eventually;

namespace Ahod.Chat.Tests;

/// <summary>Stops Chat (both replicas), so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(DowntimeTests), DisableParallelization = true)]
public sealed class DowntimeCollection;

[Collection(nameof(DowntimeTests))]
public sealed class DowntimeTests(ChatAppFixture fixture)
{
    private readonly ChatApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventsWhileChatIsDown_WaitInItsQueue_AndBecomeNotificationsWhenItIsBack()
    {
        var user = await _api.NewVerifiedUserAsync();
        var walletId = await EventuallyAsync<Guid?>(async () =>
        {
            var wallets = await _api.GetAsync(user, "/api/payments/accounts");
            return wallets.EnumerateArray().Select(w => (Guid?)w.GetProperty("id").GetGuid()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), "the wallet", TestContext.Current.CancellationToken);
        await EventuallyAsync<object>(async () =>
        {
            using var probe = await _api.SendAsync(HttpMethod.Post, "/api/conversations", user.Token, new { type = "direct", userId = Guid.NewGuid() });
            return probe.StatusCode == HttpStatusCode.NotFound ? new object() : null;
        }, TimeSpan.FromSeconds(30), "chat to answer", TestContext.Current.CancellationToken);

        // SIGTERM to both replicas and a graceful shutdown, as an orchestrator stops a service.
        var stopped = await fixture.App.TerminateAsync("chat", Ct);
        stopped.ShouldBeLessThan(TimeSpan.FromSeconds(60), "a graceful stop of both Chat replicas");
        try
        {
            using var deposit = await _api.Client.SendApiAsync(HttpMethod.Post, "/api/payments/deposit", user.Token,
                new { accountId = walletId, amount = new { amount = 1_234, currency = "USD" }, source = new { type = "card", token = "tok_sandbox_success" } },
                Guid.NewGuid().ToString(), Ct);
            deposit.IsSuccessStatusCode.ShouldBeTrue(await deposit.Content.ReadAsStringAsync(Ct));
            // The deposit settled in Payments while Chat was away.
            await EventuallyAsync<object>(async () =>
            {
                var wallets = await _api.GetAsync(user, "/api/payments/accounts");
                return wallets.EnumerateArray().Any(w => w.GetProperty("available").GetProperty("amount").GetInt64() == 1_234) ? new object() : null;
            }, TimeSpan.FromSeconds(30), "the deposit to settle", TestContext.Current.CancellationToken);
        }
        finally
        {
            await fixture.App.StartAndWaitForHealthyAsync("chat", Ct);
        }

        var received = await EventuallyAsync<List<JsonElement>>(async () =>
        {
            using var response = await _api.SendAsync(HttpMethod.Get, "/api/notifications", user.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var items = (await ChatApi.ReadAsync(response)).GetProperty("items").EnumerateArray().Where(n => n.GetProperty("type").GetString() == "payment.received").ToList();
            return items.Count > 0 ? items : null;
        }, TimeSpan.FromSeconds(90), "the notification after Chat came back", TestContext.Current.CancellationToken);
        received.Single().GetProperty("data").GetProperty("amount").GetProperty("amount").GetInt64().ShouldBe(1_234);
    }
}
