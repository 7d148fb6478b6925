using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Ahod.Testing.Eventually;

namespace Ahod.Marketplace.Tests;

public sealed class GdprTests(MarketplaceAppFixture fixture)
{
    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_HasMyListingsRequestsAndReviews_ErasureClosesListingsRemovesImagesAnonymizesReviews()
    {
        var seller = await _api.NewUserAsync(fund: 0);
        var buyer = await _api.NewUserAsync(fund: 2_000);
        var listingId = (await _api.CreateListingAsync(seller, MarketApi.ListingBody(price: 2_000))).GetProperty("id").GetGuid();
        var id = (await _api.CreateRequestAsync(buyer, listingId)).GetProperty("id").GetGuid();
        (await _api.SetStatusAsync(seller, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.PayAsync(buyer, id)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.SetStatusAsync(buyer, id, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/reviews", buyer.Token, new { requestId = id, rating = 5, text = "Lovely lamp, thank you Ama!" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // The buyer's own listing, with an image.
        var ownListing = (await _api.CreateListingAsync(buyer)).GetProperty("id").GetGuid();
        var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.JpegWithGps(200, 100)), "file", "me.jpg" } };
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/{ownListing}/images") { Content = form };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyer.Token);
        (await _api.Client.SendAsync(upload, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var export = await _api.GetAsync(buyer, "/api/users/me/export");
        var marketplace = export.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "marketplace").GetProperty("data");
        marketplace.GetProperty("listings").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ShouldBe(new[] { ownListing });
        marketplace.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe(new[] { id });
        marketplace.GetProperty("reviews").EnumerateArray().Single().GetProperty("text").GetString().ShouldBe("Lovely lamp, thank you Ama!");

        // Erasure (the buyer's wallet is empty: they spent it all).
        using (var erase = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", buyer.Token, new { password = MarketApi.Password }))
        {
            erase.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erase.Content.ReadAsStringAsync(Ct));
        }

        await EventuallyAsync(async () =>
            await MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM reviews WHERE author_id = $1", buyer.Id) == 0 ? new object() : null,
            TimeSpan.FromSeconds(60), "user.erased to be handled", TestContext.Current.CancellationToken);
        (await MarketApi.ScalarAsync<string>(fixture.MarketplaceDb, "SELECT status FROM listings WHERE id = $1", ownListing)).ShouldBe("closed");
        (await MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM listing_images WHERE listing_id = $1", ownListing)).ShouldBe(0L);
        (Directory.Exists(Path.Combine(fixture.MediaDirectory, ownListing.ToString())) ? Directory.GetFiles(Path.Combine(fixture.MediaDirectory, ownListing.ToString())) : []).ShouldBeEmpty();
        var reviews = await _api.GetAsync(null, $"/api/listings/{listingId}/reviews");
        var review = reviews.GetProperty("items").EnumerateArray().Single();
        review.GetProperty("text").GetString().ShouldBe("[erased]");
        review.GetProperty("authorId").ValueKind.ShouldBe(JsonValueKind.Null);
        review.GetProperty("rating").GetInt32().ShouldBe(5, "the rating stays with the listing");
        (await _api.GetAsync(seller, $"/api/requests/{id}")).GetProperty("message").GetString().ShouldBe("[erased]");
    }

    [Fact]
    public async Task Erasure_RefusedWhileMoneyIsInEscrow_ThenEndsTheUsersUnpaidRequests()
    {
        var seller = await _api.NewUserAsync(fund: 0);
        var buyer = await _api.NewUserAsync(fund: 1_000);
        var other = await _api.NewUserAsync(fund: 0);
        var sellersListing = (await _api.CreateListingAsync(seller, MarketApi.ListingBody(price: 1_000))).GetProperty("id").GetGuid();
        var othersListing = (await _api.CreateListingAsync(other)).GetProperty("id").GetGuid();
        var paid = (await _api.CreateRequestAsync(buyer, sellersListing)).GetProperty("id").GetGuid();
        (await _api.SetStatusAsync(seller, paid, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.PayAsync(buyer, paid)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var asked = (await _api.CreateRequestAsync(other, sellersListing)).GetProperty("id").GetGuid();
        var accepted = (await _api.CreateRequestAsync(buyer, sellersListing)).GetProperty("id").GetGuid();
        (await _api.SetStatusAsync(seller, accepted, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sellerAsks = (await _api.CreateRequestAsync(seller, othersListing)).GetProperty("id").GetGuid();

        // The buyer's payment waits in escrow for the seller: their account cannot go while it does.
        using (var refused = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", seller.Token, new { password = MarketApi.Password }))
        {
            await MarketApi.ShouldBeProblemAsync(refused, HttpStatusCode.Conflict);
        }

        (await _api.GetAsync(seller, $"/api/requests/{paid}")).GetProperty("status").GetString().ShouldBe("paid");
        (await _api.SetStatusAsync(buyer, paid, "cancelled")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var erase = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", seller.Token, new { password = MarketApi.Password }))
        {
            erase.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erase.Content.ReadAsStringAsync(Ct));
        }

        // What was asked of the seller is declined, what the seller asked for is cancelled; the other side sees why.
        await EventuallyAsync(async () =>
            await MarketApi.ScalarAsync<string>(fixture.MarketplaceDb, "SELECT status FROM requests WHERE id = $1", sellerAsks) == "cancelled" ? new object() : null,
            TimeSpan.FromSeconds(60), "user.erased to be handled", TestContext.Current.CancellationToken);
        foreach (var (id, viewer, status) in new[] { (asked, other, "declined"), (accepted, buyer, "declined"), (sellerAsks, other, "cancelled") })
        {
            var request = await _api.GetAsync(viewer, $"/api/requests/{id}");
            request.GetProperty("status").GetString().ShouldBe(status);
            request.GetProperty("reason").GetString().ShouldBe("The account of the other party was erased.");
        }

        (await _api.GetAsync(buyer, $"/api/requests/{paid}")).GetProperty("status").GetString().ShouldBe("cancelled", "an ended request stays as it was");
        using var late = await _api.SetStatusAsync(other, sellerAsks, "accepted");
        await MarketApi.ShouldBeProblemAsync(late, HttpStatusCode.Conflict);
        (await _api.BalancesAsync(buyer)).ShouldBe((1_000L, 0L), "the voided escrow returned every unit");
    }

    [Fact]
    public async Task InternalExport_NeedsTheInternalKey()
    {
        using var anonymous = fixture.App.CreateHttpClient("marketplace");
        (await anonymous.GetAsync($"/internal/gdpr/users/{Guid.NewGuid()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var gateway = fixture.CreateClient();
        (await gateway.GetAsync($"/internal/gdpr/users/{Guid.NewGuid()}", Ct)).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}
