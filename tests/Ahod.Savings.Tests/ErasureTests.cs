using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ahod.Testing.Eventually;

namespace Ahod.Savings.Tests;

/// <summary>
/// GDPR erasure end to end: Identity erases the account and publishes user.erased; Savings removes what is personal,
/// keeps the money history under an id that no longer names anyone, and the community carries on without the user.
/// </summary>
public sealed class ErasureTests(SavingsAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UserErased_EndsMembershipsAndRemovesLoans_KeepsMoneyHistory_CommunityCarriesOn()
    {
        var api = new SavingsApi(fixture);
        const long contribution = 1_000;
        var (community, users) = await api.CommunityWithMembersAsync(2, SavingsApi.CommunityBody(contribution: contribution), fund: 10_000);
        var id = community.GetProperty("id").GetGuid();
        // The creator (the community's only admin) is erased: nobody is left to hand the admin role over.
        var (erased, successor, other) = (users[0], users[1], users[2]);
        foreach (var payer in new[] { erased, successor })
        {
            using var paid = await api.ContributeAsync(payer, id);
            paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(Ct));
        }

        using (var loan = await api.SendAsync(HttpMethod.Post, "/api/loans", erased.Token, new
               {
                   servicer = "Nelnet",
                   principal = new { amount = 500_000, currency = "USD" },
                   rateBasisPoints = 450,
                   dueDay = 5,
                   monthlyPayment = new { amount = 10_000, currency = "USD" },
               }))
        {
            loan.StatusCode.ShouldBe(HttpStatusCode.Created, await loan.Content.ReadAsStringAsync(Ct));
        }

        // Erasure waits for empty wallets: the user takes out what is left first.
        var left = await api.WalletBalanceAsync(erased);
        using (var withdraw = await api.SendAsync(HttpMethod.Post, "/api/payments/withdraw", erased.Token, new
               {
                   accountId = erased.WalletId,
                   amount = new { amount = left, currency = "USD" },
                   destination = new { type = "bank", accountNumber = "000123456789", routingNumber = "021000021" },
               }, Guid.NewGuid().ToString()))
        {
            withdraw.StatusCode.ShouldBe(HttpStatusCode.Created, await withdraw.Content.ReadAsStringAsync(Ct));
        }

        using (var erase = await api.SendAsync(HttpMethod.Delete, "/api/users/me", erased.Token, new { password = SavingsApi.Password }))
        {
            erase.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erase.Content.ReadAsStringAsync(Ct));
        }

        // What Savings still holds about the user, as its GDPR export (one consistent snapshot) reports it.
        using var savings = fixture.CreateInternalClient("savings");
        var data = await EventuallyAsync<JsonElement?>(async () =>
        {
            var export = (await savings.GetFromJsonAsync<JsonElement>($"/internal/gdpr/users/{erased.Id}", Ct)).GetProperty("data");
            return export.GetProperty("memberships")[0].GetProperty("status").GetString() == "active" ? null : export;
        }, TimeSpan.FromSeconds(20), "user.erased to reach savings", TestContext.Current.CancellationToken);

        var membership = data!.Value.GetProperty("memberships").EnumerateArray().ShouldHaveSingleItem();
        membership.GetProperty("status").GetString().ShouldBe("left");
        membership.GetProperty("role").GetString().ShouldBe("member");
        membership.GetProperty("leftAt").ValueKind.ShouldBe(JsonValueKind.String);
        data.Value.GetProperty("loans").GetArrayLength().ShouldBe(0, "loans are personal: they go with the user, in the same transaction");
        data.Value.GetProperty("loanPayments").GetArrayLength().ShouldBe(0);

        // Money history kept, anonymized: the contribution stays, tied only to an id Identity no longer resolves.
        var kept = data.Value.GetProperty("contributions").EnumerateArray().ShouldHaveSingleItem();
        kept.GetProperty("memberUserId").GetGuid().ShouldBe(erased.Id);
        kept.GetProperty("amount").GetInt64().ShouldBe(contribution);
        (await api.SendAsync(HttpMethod.Get, $"/api/users/{erased.Id}", successor.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The others are told through the outbox, as when a member leaves.
        (await SavingsDatabase.CountOutboxAsync(fixture.SavingsDb, "community.member-left", id, erased.Id)).ShouldBe(1);

        // The community carries on: the longest-standing member took over as admin, the erased user is gone from
        // the member list, and the pot (with the erased user's contribution in it) pays out to the rotation.
        var view = await api.GetAsync(successor, $"/api/communities/{id}");
        view.GetProperty("myRole").GetString().ShouldBe("admin");
        view.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetGuid()).ShouldBe([successor.Id, other.Id], ignoreOrder: true);
        using (var paid = await api.ContributeAsync(other, id))
        {
            paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(Ct));
        }

        var before = await api.WalletBalanceAsync(successor);
        using var payout = await api.PayoutAsync(successor, id, 1);
        payout.StatusCode.ShouldBe(HttpStatusCode.OK, await payout.Content.ReadAsStringAsync(Ct));
        var closed = await SavingsApi.ReadAsync(payout);
        closed.GetProperty("recipient").GetGuid().ShouldBe(successor.Id, "rotation goes on among current members, in join order");
        closed.GetProperty("payout").GetProperty("amount").GetInt64().ShouldBe(3 * contribution);
        (await api.WalletBalanceAsync(successor)).ShouldBe(before + 3 * contribution);
        (await api.PotBalanceAsync(view.GetProperty("potAccountId").GetGuid())).ShouldBe(0);
    }
}
