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
    public async Task InternalExport_NeedsTheInternalKey()
    {
        using var anonymous = fixture.App.CreateHttpClient("marketplace");
        (await anonymous.GetAsync($"/internal/gdpr/users/{Guid.NewGuid()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var gateway = fixture.CreateClient();
        (await gateway.GetAsync($"/internal/gdpr/users/{Guid.NewGuid()}", Ct)).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}
