using System.Net;
using System.Text.Json;

namespace Ahod.Savings.Tests;

/// <summary>The public contract's shapes, as a client reads them through the gateway: error keys, paging, field rules.</summary>
public sealed class ContractTests(SavingsAppFixture fixture)
{
    private readonly SavingsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string[]> ErrorKeysAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        return (await SavingsApi.ReadProblemAsync(response)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
    }

    [Fact]
    public async Task InvalidCommunityAndLoan_NameTheFieldsInCamelCase()
    {
        var user = await _api.NewUserAsync(fund: 0);

        using var community = await _api.SendAsync(HttpMethod.Post, "/api/communities", user.Token, new
        {
            name = "ab",
            goal = new { amount = 100_000, currency = "USD" },
            contribution = new { amount = -10, currency = "USD" },
            frequency = "monthly",
            payoutMethod = "rotation",
            maxMembers = 1,
            isPrivate = true,
        });
        var keys = await ErrorKeysAsync(community);
        keys.ShouldContain("name");
        keys.ShouldContain("maxMembers");
        keys.ShouldContain("contribution.amount");

        using var loan = await _api.SendAsync(HttpMethod.Post, "/api/loans", user.Token, new
        {
            servicer = "Nelnet",
            principal = new { amount = -1, currency = "USD" },
            rateBasisPoints = 450,
            dueDay = 5,
            monthlyPayment = new { amount = 10_000, currency = "USD" },
        });
        var loanKeys = await ErrorKeysAsync(loan);
        loanKeys.ShouldContain("principal.amount");

        foreach (var key in keys.Concat(loanKeys))
        {
            key.Split('.').ShouldAllBe(segment => char.IsLower(segment[0]), $"'{key}' is not camelCase");
        }
    }

    /// <summary>Walks a list page by page with <c>?limit=</c>, asserting the contract's shape on every page.</summary>
    private async Task<List<JsonElement>> ReadAllPagesAsync(TestUser user, string path, int limit)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var separator = path.Contains('?') ? '&' : '?';
            var page = await _api.GetAsync(user, $"{path}{separator}limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            page.ValueKind.ShouldBe(JsonValueKind.Object, $"{path} answers a page, not a bare array");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(limit);
            all.AddRange(items);
            var next = page.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            (++pages).ShouldBeLessThan(20, $"{path} keeps handing out cursors");
        }
        while (cursor is not null);

        return all;
    }

    [Fact]
    public async Task CyclesPleasVotesAndLoans_AreCursorPaged()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(2);
        var id = community.GetProperty("id").GetGuid();
        var (admin, b, c) = (users[0], users[1], users[2]);
        foreach (var user in users)
        {
            (await _api.ContributeAsync(user, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await _api.PayoutAsync(admin, id, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadAllPagesAsync(admin, $"/api/communities/{id}/cycles", limit: 1))
            .Select(x => x.GetProperty("number").GetInt32()).ShouldBe([1, 2]);

        var pleaIds = new List<Guid>();
        foreach (var title in new[] { "First plea", "Second plea", "Third plea" })
        {
            using var created = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/pleas", c.Token, new { title, body = "Please." });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            pleaIds.Add((await SavingsApi.ReadAsync(created)).GetProperty("id").GetGuid());
        }

        (await ReadAllPagesAsync(b, $"/api/communities/{id}/pleas", limit: 2))
            .Select(p => p.GetProperty("id").GetGuid()).ShouldBe(Enumerable.Reverse(pleaIds), "newest first, each once");

        foreach (var voter in new[] { c, b })
        {
            (await _api.SendAsync(HttpMethod.Post, $"/api/communities/{id}/pleas/{pleaIds[0]}/votes", voter.Token, new { inFavor = true }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await ReadAllPagesAsync(admin, $"/api/communities/{id}/pleas/{pleaIds[0]}/votes", limit: 1))
            .Select(v => v.GetProperty("userId").GetGuid()).ShouldBe([c.Id, b.Id], "in the order they were cast");

        foreach (var servicer in new[] { "Nelnet", "Great Lakes", "MOHELA" })
        {
            using var loan = await _api.SendAsync(HttpMethod.Post, "/api/loans", admin.Token, new
            {
                servicer,
                principal = new { amount = 500_000, currency = "USD" },
                rateBasisPoints = 450,
                dueDay = 5,
                monthlyPayment = new { amount = 10_000, currency = "USD" },
            });
            loan.StatusCode.ShouldBe(HttpStatusCode.Created, await loan.Content.ReadAsStringAsync(Ct));
        }

        (await ReadAllPagesAsync(admin, "/api/loans", limit: 2)).Select(l => l.GetProperty("servicer").GetString())
            .ShouldBe(["Nelnet", "Great Lakes", "MOHELA"]);
        var firstPage = await _api.GetAsync(admin, "/api/loans?limit=2");
        firstPage.GetProperty("communities").EnumerateArray().Select(x => x.GetProperty("communityId").GetGuid()).ShouldContain(id);

        foreach (var path in new[] { $"/api/communities/{id}/cycles?limit=0", $"/api/communities/{id}/pleas?cursor=nope", "/api/loans?limit=101" })
        {
            using var bad = await _api.SendAsync(HttpMethod.Get, path, admin.Token);
            (await ErrorKeysAsync(bad)).ShouldHaveSingleItem().ShouldBeOneOf("limit", "cursor");
        }
    }

    [Fact]
    public async Task LoanBalanceAbovePrincipal_And_ContributionAboveGoal_Return400AndCreateNothing()
    {
        var user = await _api.NewUserAsync(fund: 0);

        using (var loan = await _api.SendAsync(HttpMethod.Post, "/api/loans", user.Token, new
               {
                   servicer = "Nelnet",
                   principal = new { amount = 500_000, currency = "USD" },
                   balance = new { amount = 500_001, currency = "USD" },
                   rateBasisPoints = 450,
                   dueDay = 5,
                   monthlyPayment = new { amount = 10_000, currency = "USD" },
               }))
        {
            (await ErrorKeysAsync(loan)).ShouldBe(["balance.amount"]);
        }

        (await _api.GetAsync(user, "/api/loans")).GetProperty("items").GetArrayLength().ShouldBe(0, "no loan was created");

        using (var created = await _api.SendAsync(HttpMethod.Post, "/api/loans", user.Token, new
               {
                   servicer = "Nelnet",
                   principal = new { amount = 500_000, currency = "USD" },
                   rateBasisPoints = 450,
                   dueDay = 5,
                   monthlyPayment = new { amount = 10_000, currency = "USD" },
               }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var loanId = (await SavingsApi.ReadAsync(created)).GetProperty("id").GetGuid();
            using var raised = await _api.SendAsync(HttpMethod.Patch, $"/api/loans/{loanId}", user.Token, new { balance = new { amount = 600_000, currency = "USD" } });
            (await ErrorKeysAsync(raised)).ShouldBe(["balance.amount"]);
            (await _api.GetAsync(user, $"/api/loans/{loanId}")).GetProperty("balance").GetProperty("amount").GetInt64().ShouldBe(500_000, "the balance is unchanged");
        }

        using (var community = await _api.SendAsync(HttpMethod.Post, "/api/communities", user.Token, new
               {
                   name = "Overshooting circle",
                   goal = new { amount = 1_000, currency = "USD" },
                   contribution = new { amount = 1_001, currency = "USD" },
                   frequency = "monthly",
                   payoutMethod = "rotation",
                   maxMembers = 5,
                   isPrivate = true,
               }))
        {
            (await ErrorKeysAsync(community)).ShouldBe(["contribution.amount"]);
        }

        (await _api.GetAsync(user, "/api/communities")).GetProperty("items").GetArrayLength().ShouldBe(0, "no community was created");
    }
}
