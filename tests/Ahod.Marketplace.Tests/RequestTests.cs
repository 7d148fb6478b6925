using System.Net;
using System.Text.Json;

namespace Ahod.Marketplace.Tests;

public sealed class RequestTests(MarketplaceAppFixture fixture)
{
    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<long> OutboxCountAsync(string type, Guid requestId) =>
        MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM outbox_messages WHERE type = $1 AND payload->>'requestId' = $2", type, requestId.ToString());

    [Fact]
    public async Task Sale_NewSeenAcceptedPaidCompleted_MovesTheMoney_AndOnlyThePartiesSeeIt()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var buyer = await _api.NewUserAsync(fund: 10_000);
        var stranger = await _api.NewUserAsync(fund: 0);
        var listing = await _api.CreateListingAsync(owner, MarketApi.ListingBody(price: 2_500));
        var listingId = listing.GetProperty("id").GetGuid();

        var request = await _api.CreateRequestAsync(buyer, listingId, new { message = "I'll take it", startDate = "2026-12-10" });
        var id = request.GetProperty("id").GetGuid();
        request.GetProperty("status").GetString().ShouldBe("new");
        request.GetProperty("kind").GetString().ShouldBe("buy");
        request.GetProperty("price").GetProperty("amount").GetInt64().ShouldBe(2_500);
        request.GetProperty("ownerId").GetGuid().ShouldBe(owner.Id);
        (await OutboxCountAsync("listing.request-created", id)).ShouldBe(1L);

        // Only the two parties: a stranger gets 404 for reading and for changing it, and sees none in lists.
        (await _api.SendAsync(HttpMethod.Get, $"/api/requests/{id}", stranger.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _api.SetStatusAsync(stranger, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _api.GetAsync(stranger, "/api/requests")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await _api.SendAsync(HttpMethod.Get, $"/api/requests/{id}", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _api.GetAsync(owner, "/api/requests?role=owner")).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe(new[] { id });
        (await _api.GetAsync(owner, "/api/requests?role=requester")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await _api.GetAsync(buyer, "/api/requests?role=requester&status=new")).GetProperty("items").GetArrayLength().ShouldBe(1);
        using (var list = await _api.SendAsync(HttpMethod.Get, "/api/requests", buyer.Token))
        {
            list.Headers.CacheControl?.NoStore.ShouldBeTrue();
        }

        // Who may do what: the requester cannot accept (403); not paid yet, nobody completes (409).
        await MarketApi.ShouldBeProblemAsync(await _api.SetStatusAsync(buyer, id, "accepted"), HttpStatusCode.Forbidden);
        await MarketApi.ShouldBeProblemAsync(await _api.SetStatusAsync(owner, id, "completed"), HttpStatusCode.Conflict);
        (await _api.SetStatusAsync(owner, id, "seen")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await MarketApi.ShouldBeProblemAsync(await _api.PayAsync(buyer, id), HttpStatusCode.Conflict);
        (await _api.SetStatusAsync(owner, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Paying: the requester only, with an Idempotency-Key; a retry with the same key replays, another key is a 409.
        await MarketApi.ShouldBeProblemAsync(await _api.PayAsync(owner, id), HttpStatusCode.Forbidden);
        (await MarketApi.ErrorKeysAsync(await _api.SendAsync(HttpMethod.Post, $"/api/requests/{id}/payment", buyer.Token, new { }))).ShouldContain("Idempotency-Key");
        var key = Guid.NewGuid().ToString();
        using var paid = await _api.PayAsync(buyer, id, key);
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(Ct));
        var payment = await MarketApi.ReadAsync(paid);
        payment.GetProperty("status").GetString().ShouldBe("pending");
        using (var replay = await _api.PayAsync(buyer, id, key))
        {
            replay.StatusCode.ShouldBe(HttpStatusCode.Created);
            (await MarketApi.ReadAsync(replay)).GetProperty("transferId").GetGuid().ShouldBe(payment.GetProperty("transferId").GetGuid());
        }

        await MarketApi.ShouldBeProblemAsync(await _api.PayAsync(buyer, id), HttpStatusCode.Conflict);
        (await _api.BalancesAsync(buyer)).ShouldBe((7_500L, 0L), "held: no longer available");
        (await _api.BalancesAsync(owner)).ShouldBe((0L, 2_500L), "held: pending for the payee");
        (await _api.GetAsync(buyer, $"/api/requests/{id}")).GetProperty("status").GetString().ShouldBe("paid");

        using (var complete = await _api.SetStatusAsync(buyer, id, "completed"))
        {
            complete.StatusCode.ShouldBe(HttpStatusCode.OK, await complete.Content.ReadAsStringAsync(Ct));
            var done = await MarketApi.ReadAsync(complete);
            done.GetProperty("status").GetString().ShouldBe("completed");
            done.GetProperty("payment").GetProperty("status").GetString().ShouldBe("posted");
        }

        (await _api.BalancesAsync(buyer)).ShouldBe((7_500L, 0L));
        (await _api.BalancesAsync(owner)).ShouldBe((2_500L, 0L));
        await MarketApi.ShouldBeProblemAsync(await _api.SetStatusAsync(buyer, id, "cancelled"), HttpStatusCode.Conflict);
        (await OutboxCountAsync("listing.request-updated", id)).ShouldBe(4L, "seen, accepted, paid, completed");

        // Reviews: after completion, one per party; the requester's counts toward the listing's rating.
        using (var review = await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/reviews", buyer.Token, new { requestId = id, rating = 4, text = "As described." }))
        {
            review.StatusCode.ShouldBe(HttpStatusCode.Created, await review.Content.ReadAsStringAsync(Ct));
        }

        await MarketApi.ShouldBeProblemAsync(
            await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/reviews", buyer.Token, new { requestId = id, rating = 5, text = "Again" }), HttpStatusCode.Conflict);
        (await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/reviews", owner.Token, new { requestId = id, rating = 5, text = "Prompt payer." }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/reviews", stranger.Token, new { requestId = id, rating = 1, text = "Never met them." }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var rating = (await _api.GetAsync(null, $"/api/listings/{listingId}")).GetProperty("rating");
        rating.GetProperty("count").GetInt32().ShouldBe(1);
        rating.GetProperty("average").GetDouble().ShouldBe(4.0);
        var reviews = await _api.GetAsync(null, $"/api/listings/{listingId}/reviews?limit=1");
        reviews.GetProperty("items").GetArrayLength().ShouldBe(1);
        var second = await _api.GetAsync(null, $"/api/listings/{listingId}/reviews?limit=1&cursor={Uri.EscapeDataString(reviews.GetProperty("nextCursor").GetString()!)}");
        second.GetProperty("items").GetArrayLength().ShouldBe(1);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Job_TheOwnerPaysTheApplicant()
    {
        var employer = await _api.NewUserAsync(fund: 5_000);
        var applicant = await _api.NewUserAsync(fund: 0);
        var listing = await _api.CreateListingAsync(employer, MarketApi.ListingBody("job", "jobs", price: 3_000, priceUnit: "day", attributes: new { employment = "gig" }));
        var request = await _api.CreateRequestAsync(applicant, listing.GetProperty("id").GetGuid(), new { message = "I can start Monday." });
        var id = request.GetProperty("id").GetGuid();
        request.GetProperty("kind").GetString().ShouldBe("apply");
        (await _api.SetStatusAsync(employer, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await MarketApi.ShouldBeProblemAsync(await _api.PayAsync(applicant, id), HttpStatusCode.Forbidden);
        (await _api.PayAsync(employer, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.SetStatusAsync(applicant, id, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.BalancesAsync(applicant)).ShouldBe((3_000L, 0L));
        (await _api.BalancesAsync(employer)).ShouldBe((2_000L, 0L));
    }

    [Fact]
    public async Task Refusals_OwnListing422_Draft404_InsufficientFunds422ChangesNothing_DeleteWithOpenRequest409()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var poor = await _api.NewUserAsync(fund: 100);
        var listing = await _api.CreateListingAsync(owner, MarketApi.ListingBody(price: 5_000));
        var listingId = listing.GetProperty("id").GetGuid();
        await MarketApi.ShouldBeProblemAsync(await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/requests", owner.Token, new { message = "Me?" }), HttpStatusCode.UnprocessableEntity);
        var draft = await _api.CreateListingAsync(owner, MarketApi.ListingBody(status: "draft"));
        await MarketApi.ShouldBeProblemAsync(
            await _api.SendAsync(HttpMethod.Post, $"/api/listings/{draft.GetProperty("id").GetGuid()}/requests", poor.Token, new { message = "Hi" }), HttpStatusCode.NotFound);

        var id = (await _api.CreateRequestAsync(poor, listingId)).GetProperty("id").GetGuid();
        await MarketApi.ShouldBeProblemAsync(await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{listingId}", owner.Token), HttpStatusCode.Conflict);
        (await _api.SetStatusAsync(owner, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await MarketApi.ShouldBeProblemAsync(await _api.PayAsync(poor, id), HttpStatusCode.UnprocessableEntity);
        (await _api.GetAsync(poor, $"/api/requests/{id}")).GetProperty("status").GetString().ShouldBe("accepted");
        (await _api.BalancesAsync(poor)).ShouldBe((100L, 0L));

        (await _api.SetStatusAsync(owner, id, "declined", "Sold elsewhere")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.GetAsync(poor, $"/api/requests/{id}")).GetProperty("reason").GetString().ShouldBe("Sold elsewhere");
        (await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{listingId}", owner.Token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "empty message", """{"message":""}""", "message" },
        { "end before start", """{"message":"hi","startDate":"2026-12-10","endDate":"2026-12-01"}""", "endDate" },
        { "not a date", """{"message":"hi","startDate":"tomorrow"}""", "startDate" },
        { "offer in another currency", """{"message":"hi","offeredPrice":{"amount":100,"currency":"EUR"}}""", "offeredPrice.currency" },
        { "offer as a string", """{"message":"hi","offeredPrice":{"amount":"100","currency":"USD"}}""", "offeredPrice.amount" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestBody_Is400NamingTheField_AndCreatesNothing(string why, string body, string field)
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var requester = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        (await MarketApi.ErrorKeysAsync(await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/requests", requester.Token, body))).ShouldContain(field, why);
        (await MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM requests WHERE listing_id = $1", listingId)).ShouldBe(0L);
    }

    [Fact]
    public async Task PatchToPaidOrUnknownStatus_Is400()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var requester = await _api.NewUserAsync(fund: 0);
        var id = (await _api.CreateRequestAsync(requester, (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid())).GetProperty("id").GetGuid();
        (await MarketApi.ErrorKeysAsync(await _api.SetStatusAsync(owner, id, "paid"))).ShouldContain("status");
        (await MarketApi.ErrorKeysAsync(await _api.SetStatusAsync(owner, id, "archived"))).ShouldContain("status");
        (await MarketApi.ErrorKeysAsync(await _api.SendAsync(HttpMethod.Get, "/api/requests?role=admin", owner.Token))).ShouldContain("role");
    }
}
