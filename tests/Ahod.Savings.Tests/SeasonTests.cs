using System.Net;
using System.Text.Json;

namespace Ahod.Savings.Tests;

public sealed class SeasonTests(SavingsAppFixture fixture)
{
    private readonly SavingsApi _api = new(fixture);

    [Fact]
    public Task Rotation_FourMembers_EachReceivesOnceInJoinOrderAndPotMatchesLedger() => RunSeasonAsync("rotation");

    [Fact]
    public Task RandomDraw_FourMembers_EachReceivesOnceWithRecordedSeedAndPotMatchesLedger() => RunSeasonAsync("randomDraw");

    private async Task RunSeasonAsync(string method)
    {
        const long contribution = 2_500;
        var (community, users) = await _api.CommunityWithMembersAsync(3, SavingsApi.CommunityBody(method, contribution: contribution));
        var id = community.GetProperty("id").GetGuid();
        var admin = users[0];
        var before = new Dictionary<Guid, long>();
        foreach (var user in users)
        {
            before[user.Id] = await _api.WalletBalanceAsync(user);
        }

        long paidIn = 0, paidOut = 0;
        Guid? pot = null;
        var recipients = new List<Guid>();
        for (var cycle = 1; cycle <= 4; cycle++)
        {
            foreach (var user in users)
            {
                using var paid = await _api.ContributeAsync(user, id);
                paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                paidIn += contribution;
                pot ??= (await _api.GetAsync(admin, $"/api/communities/{id}")).GetProperty("potAccountId").GetGuid();
                (await _api.PotBalanceAsync(pot.Value)).ShouldBe(paidIn - paidOut);
            }

            using var payout = await _api.PayoutAsync(admin, id, cycle);
            payout.StatusCode.ShouldBe(HttpStatusCode.OK, await payout.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var closed = await SavingsApi.ReadAsync(payout);
            closed.GetProperty("status").GetString().ShouldBe("closed");
            closed.GetProperty("payout").GetProperty("amount").GetInt64().ShouldBe(contribution * 4);
            recipients.Add(closed.GetProperty("recipient").GetGuid());
            paidOut += contribution * 4;
            (await _api.PotBalanceAsync(pot!.Value)).ShouldBe(paidIn - paidOut);

            if (method == "randomDraw")
            {
                closed.GetProperty("drawSeed").ValueKind.ShouldBe(JsonValueKind.Number, "the seed is recorded for audit");
            }
        }

        recipients.Distinct().Count().ShouldBe(4, "each member receives exactly once in a season");
        recipients.ToHashSet().SetEquals(users.Select(u => u.Id)).ShouldBeTrue();
        if (method == "rotation")
        {
            recipients.ShouldBe(users.Select(u => u.Id).ToList(), "rotation follows join order");
        }

        foreach (var user in users)
        {
            // Everyone paid 4 contributions and received one pot of 4: net zero.
            (await _api.WalletBalanceAsync(user)).ShouldBe(before[user.Id]);
        }

        var details = await _api.GetAsync(admin, $"/api/communities/{id}");
        details.GetProperty("season").GetInt32().ShouldBe(2, "a new season starts once everyone has received");
        details.GetProperty("currentCycle").GetProperty("number").GetInt32().ShouldBe(5);
        details.GetProperty("currentCycle").GetProperty("season").GetInt32().ShouldBe(2);

        // Replaying a payout of a closed cycle moves nothing.
        using (var replay = await _api.PayoutAsync(admin, id, 4))
        {
            replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await _api.PotBalanceAsync(pot!.Value)).ShouldBe(0);
    }

    [Fact]
    public async Task Bidding_LowestDiscountWins_DiscountSharedAmongOthers()
    {
        const long contribution = 3_000;
        var (community, users) = await _api.CommunityWithMembersAsync(3, SavingsApi.CommunityBody("bidding", contribution: contribution));
        var id = community.GetProperty("id").GetGuid();
        foreach (var user in users)
        {
            using var paid = await _api.ContributeAsync(user, id);
            paid.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var balances = new Dictionary<Guid, long>();
        foreach (var user in users)
        {
            balances[user.Id] = await _api.WalletBalanceAsync(user);
        }

        // users[2] bids the lowest discount (600): it wins, and 600 is shared by the three others, 200 each.
        foreach (var (user, discount) in new[] { (users[1], 900L), (users[2], 600L), (users[3], 750L) })
        {
            using var bid = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/cycles/1/bids", user.Token, new { discount = new { amount = discount, currency = "USD" } });
            bid.StatusCode.ShouldBe(HttpStatusCode.OK, await bid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using var payout = await _api.PayoutAsync(users[0], id, 1);
        payout.StatusCode.ShouldBe(HttpStatusCode.OK, await payout.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var closed = await SavingsApi.ReadAsync(payout);
        closed.GetProperty("recipient").GetGuid().ShouldBe(users[2].Id);
        closed.GetProperty("winningDiscount").GetProperty("amount").GetInt64().ShouldBe(600);
        closed.GetProperty("payout").GetProperty("amount").GetInt64().ShouldBe(4 * contribution - 600);

        (await _api.WalletBalanceAsync(users[2])).ShouldBe(balances[users[2].Id] + 4 * contribution - 600);
        foreach (var other in users.Where(u => u.Id != users[2].Id))
        {
            (await _api.WalletBalanceAsync(other)).ShouldBe(balances[other.Id] + 200);
        }

        var pot = (await _api.GetAsync(users[0], $"/api/communities/{id}")).GetProperty("potAccountId").GetGuid();
        (await _api.PotBalanceAsync(pot)).ShouldBe(0, "the pot never goes negative and nothing is left over");
    }
}
