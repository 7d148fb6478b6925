using System.Net;
using System.Text.RegularExpressions;

namespace Ahod.Savings.Tests;

public sealed partial class RulesTests(SavingsAppFixture fixture)
{
    private readonly SavingsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LateContribution_AfterCycleClosed_GetsStrikeAndFeeIntoThePot()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(1, SavingsApi.CommunityBody(contribution: 1_000, lateFee: 150, strikes: 1));
        var id = community.GetProperty("id").GetGuid();
        var (admin, late) = (users[0], users[1]);
        (await _api.ContributeAsync(admin, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.PayoutAsync(admin, id, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var before = await _api.WalletBalanceAsync(late);
        using var paid = await _api.ContributeAsync(late, id, new { cycleNumber = 1 });
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(Ct));
        var contribution = await SavingsApi.ReadAsync(paid);
        contribution.GetProperty("late").GetBoolean().ShouldBeTrue();
        contribution.GetProperty("lateFee").GetProperty("amount").GetInt64().ShouldBe(150);
        (await _api.WalletBalanceAsync(late)).ShouldBe(before - 1_150);

        var details = await _api.GetAsync(admin, $"/api/communities/{id}");
        var member = details.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("userId").GetGuid() == late.Id);
        member.GetProperty("strikes").GetInt32().ShouldBe(1);
        member.GetProperty("status").GetString().ShouldBe("suspended", "the rules suspend at one strike");
        (await _api.PotBalanceAsync(details.GetProperty("potAccountId").GetGuid())).ShouldBe(1_150, "the late contribution and its fee wait in the pot");

        var cycles = await _api.GetAsync(admin, $"/api/communities/{id}/cycles");
        cycles.GetProperty("items")[0].GetProperty("late").EnumerateArray().Select(x => x.GetGuid()).ShouldContain(late.Id);
    }

    [Fact]
    public async Task Leave_AfterReceivingWhileStillOwing_Returns422_LastAdminMustHandOver()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(2);
        var id = community.GetProperty("id").GetGuid();
        var (admin, first, other) = (users[0], users[1], users[2]);
        foreach (var user in users)
        {
            (await _api.ContributeAsync(user, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        // Put `first` first in the rotation (allowed: the season has not paid out yet).
        using (var order = await _api.SendAsync(HttpMethod.Put, $"/api/communities/{id}/rotation", admin.Token, new { userIds = new[] { first.Id, admin.Id, other.Id } }))
        {
            order.StatusCode.ShouldBe(HttpStatusCode.OK, await order.Content.ReadAsStringAsync(Ct));
        }

        var payout = await SavingsApi.ReadAsync(await _api.PayoutAsync(admin, id, 1));
        payout.GetProperty("recipient").GetGuid().ShouldBe(first.Id);

        using (var leave = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/leave", first.Token, new { }))
        {
            leave.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            (await SavingsApi.ReadProblemAsync(leave)).GetProperty("title").GetString()!.ShouldContain("received a payout");
        }

        // A member who has not received may leave.
        (await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/leave", other.Token, new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var adminLeave = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/leave", admin.Token, new { }))
        {
            adminLeave.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            (await SavingsApi.ReadProblemAsync(adminLeave)).GetProperty("title").GetString()!.ShouldContain("last admin");
        }

        var members = (await _api.GetAsync(admin, $"/api/communities/{id}")).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetGuid()).ToList();
        members.ShouldBe([first.Id, admin.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task NonMember_PrivateCommunity_Gets404_MemberAdminActions_Get403()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(1);
        var id = community.GetProperty("id").GetGuid();
        var member = users[1];
        var stranger = await _api.NewUserAsync();

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Get, $"/api/communities/{id}", null),
                     (HttpMethod.Get, $"/api/communities/{id}/cycles", null),
                     (HttpMethod.Post, $"/api/communities/{id}/contributions", new { }),
                     (HttpMethod.Post, $"/api/communities/{id}/join", new { inviteCode = "WRONG-CODE" }),
                     (HttpMethod.Get, $"/api/communities/{id}/pleas", null),
                 })
        {
            using var response = await _api.SendAsync(method, path, stranger.Token, body, Guid.NewGuid().ToString());
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
            (await SavingsApi.ReadProblemAsync(response)).GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        foreach (var (method, path, body) in new (HttpMethod, string, object)[]
                 {
                     (HttpMethod.Post, $"/api/communities/{id}/cycles/1/payout", new { }),
                     (HttpMethod.Post, $"/api/communities/{id}/members/{member.Id}/promote", new { }),
                     (HttpMethod.Put, $"/api/communities/{id}/rotation", new { userIds = new[] { member.Id, users[0].Id } }),
                 })
        {
            using var response = await _api.SendAsync(method, path, member.Token, body, Guid.NewGuid().ToString());
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path}");
            (await SavingsApi.ReadProblemAsync(response)).GetProperty("detail").GetString().ShouldBe("Only an admin of this community can do this.");
        }

        // A visitor of a public community sees it, but members-only actions are 403, not 404.
        var open = await _api.CreateCommunityAsync(users[0], SavingsApi.CommunityBody(isPrivate: false));
        var openId = open.GetProperty("id").GetGuid();
        (await _api.GetAsync(stranger, $"/api/communities/{openId}")).GetProperty("id").GetGuid().ShouldBe(openId);
        using (var pleas = await _api.SendAsync(HttpMethod.Get, $"/api/communities/{openId}/pleas", stranger.Token))
        {
            pleas.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await _api.GetAsync(stranger, "/api/communities")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await _api.SendAsync(HttpMethod.Get, $"/api/communities/{id}", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BadInputs_Return400Or422_AndChangeNothing()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(1);
        var id = community.GetProperty("id").GetGuid();
        var admin = users[0];

        foreach (var body in new object[]
                 {
                     new { name = "", goal = new { amount = 100, currency = "USD" }, contribution = new { amount = 10, currency = "USD" }, frequency = "monthly", payoutMethod = "rotation", maxMembers = 5, isPrivate = true },
                     new { name = "Circle", goal = new { amount = 100, currency = "USD" }, contribution = new { amount = -10, currency = "USD" }, frequency = "monthly", payoutMethod = "rotation", maxMembers = 5, isPrivate = true },
                     new { name = "Circle", goal = new { amount = 100, currency = "usd" }, contribution = new { amount = 10, currency = "USD" }, frequency = "daily", payoutMethod = "lottery", maxMembers = 1, isPrivate = true },
                 })
        {
            using var response = await _api.SendAsync(HttpMethod.Post, "/api/communities", admin.Token, body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
            (await SavingsApi.ReadProblemAsync(response)).TryGetProperty("errors", out _).ShouldBeTrue();
        }

        using (var malformed = await _api.SendAsync(HttpMethod.Post, "/api/communities", admin.Token, "{ not json"))
        {
            malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var noKey = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/contributions", admin.Token, new { }))
        {
            noKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await SavingsApi.ReadProblemAsync(noKey)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
        }

        (await _api.GetAsync(admin, "/api/communities")).GetProperty("items").GetArrayLength().ShouldBe(1, "no invalid community was created");

        // A member without the money: 422 with a clear message, nothing charged, nothing recorded.
        var poor = await _api.NewUserAsync(fund: 500);
        using (var join = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/join", poor.Token, new { inviteCode = community.GetProperty("inviteCode").GetString() }))
        {
            join.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using (var refused = await _api.ContributeAsync(poor, id))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await refused.Content.ReadAsStringAsync(Ct));
            (await SavingsApi.ReadProblemAsync(refused)).GetProperty("detail").GetString()!.ShouldContain("Nothing was charged");
        }

        (await _api.WalletBalanceAsync(poor)).ShouldBe(500);
        var cycles = await _api.GetAsync(admin, $"/api/communities/{id}/cycles");
        cycles.GetProperty("items")[0].GetProperty("contributions").GetArrayLength().ShouldBe(0);

        // Closing with an empty pot is refused.
        (await _api.PayoutAsync(admin, id, 1)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Contribution_IsIdempotentPerMemberAndCycle_AndCanBePaidOnBehalf()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(1, SavingsApi.CommunityBody(contribution: 1_200));
        var id = community.GetProperty("id").GetGuid();
        var (admin, friend) = (users[0], users[1]);
        var before = await _api.WalletBalanceAsync(admin);

        using (var first = await _api.ContributeAsync(admin, id))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using (var again = await _api.ContributeAsync(admin, id))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK, "the same member and cycle is paid once, whatever the key");
        }

        using (var onBehalf = await _api.ContributeAsync(admin, id, new { onBehalfOf = friend.Id }))
        {
            onBehalf.StatusCode.ShouldBe(HttpStatusCode.Created);
            var body = await SavingsApi.ReadAsync(onBehalf);
            body.GetProperty("memberUserId").GetGuid().ShouldBe(friend.Id);
            body.GetProperty("paidByUserId").GetGuid().ShouldBe(admin.Id);
        }

        (await _api.WalletBalanceAsync(admin)).ShouldBe(before - 2 * 1_200);
        var cycle = (await _api.GetAsync(admin, $"/api/communities/{id}/cycles")).GetProperty("items")[0];
        cycle.GetProperty("unpaid").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task PublicCommunity_JoinRequest_AdminApproves_InviteEmailCarriesTheCode()
    {
        var admin = await _api.NewUserAsync(fund: 0);
        var community = await _api.CreateCommunityAsync(admin, SavingsApi.CommunityBody(isPrivate: false));
        var id = community.GetProperty("id").GetGuid();

        var asker = await _api.NewUserAsync(fund: 0);
        (await _api.GetAsync(asker, "/api/communities?discover=true&limit=100")).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("id").GetGuid()).ShouldContain(id);
        using (var request = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/join", asker.Token, new { }))
        {
            request.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await SavingsApi.ReadAsync(request)).GetProperty("status").GetString().ShouldBe("pending");
        }

        (await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/members/{asker.Id}/approve", admin.Token, new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var members = (await _api.GetAsync(admin, $"/api/communities/{id}")).GetProperty("members").EnumerateArray();
        members.Single(m => m.GetProperty("userId").GetGuid() == asker.Id).GetProperty("status").GetString().ShouldBe("active");

        var invitee = $"friend.{Guid.NewGuid():N}@ahod.test";
        (await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/invites", asker.Token, new { email = invitee })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = await _api.ReadMailAsync(invitee, InviteCode(), m => m.Groups["code"].Value);
        code.ShouldBe(community.GetProperty("inviteCode").GetString());
        code.Length.ShouldBeGreaterThanOrEqualTo(20, "codes are unguessable, not 4 digits");
    }

    [Fact]
    public async Task PassedPlea_LetsAdminReorderMidSeason()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(2);
        var id = community.GetProperty("id").GetGuid();
        var (admin, b, c) = (users[0], users[1], users[2]);
        foreach (var user in users)
        {
            (await _api.ContributeAsync(user, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await _api.PayoutAsync(admin, id, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reorder = new { userIds = new[] { c.Id, b.Id, admin.Id } };
        (await _api.SendAsync(HttpMethod.Put, $"/api/communities/{id}/rotation", admin.Token, reorder)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        using var created = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/pleas", c.Token, new { title = "Earlier payout please", body = "My loan payment is due next week." });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var pleaId = (await SavingsApi.ReadAsync(created)).GetProperty("id").GetGuid();
        (await SavingsApi.ReadAsync(await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/pleas/{pleaId}/votes", c.Token, new { inFavor = true })))
            .GetProperty("status").GetString().ShouldBe("open");
        (await SavingsApi.ReadAsync(await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/pleas/{pleaId}/votes", b.Token, new { inFavor = true })))
            .GetProperty("status").GetString().ShouldBe("passed");

        (await _api.SendAsync(HttpMethod.Put, $"/api/communities/{id}/rotation", admin.Token, reorder)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var user in users)
        {
            (await _api.ContributeAsync(user, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await SavingsApi.ReadAsync(await _api.PayoutAsync(admin, id, 2))).GetProperty("recipient").GetGuid().ShouldBe(c.Id);
    }

    [GeneratedRegex(@"invite code in the app: (?<code>[A-Z0-9-]+)")]
    private static partial Regex InviteCode();
}
