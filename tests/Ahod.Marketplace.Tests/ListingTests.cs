using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Marketplace.Data;
using Ahod.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Tests;

public sealed class ListingTests(MarketplaceAppFixture fixture)
{
    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task Migrations_BuildExactlyTheModelSchema() =>
        SchemaAssert.MigrationsMatchModelAsync(fixture.MarketplaceDb, cs =>
        {
            var options = new DbContextOptionsBuilder<MarketplaceDbContext>().UseNpgsql(cs);
            MarketplaceExtensions.ConfigureDbContext(options);
            return new MarketplaceDbContext(options.Options);
        }, Ct);

    public static TheoryData<string, string, string, object> Kinds => new()
    {
        { "sale", "electronics", "item", new { } },
        { "rent", "housing", "month", new { bedrooms = 2 } },
        { "job", "jobs", "hour", new { employment = "part-time" } },
        { "service", "tutoring", "hour", new { level = "university", subject = "Calculus", schoolYear = 2 } },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Lifecycle_DraftPublishedClosed_VisibleOnlyAsTheContractSays(string kind, string category, string unit, object attributes)
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var other = await _api.NewUserAsync(fund: 0);
        var draft = await _api.CreateListingAsync(owner, MarketApi.ListingBody(kind, category, priceUnit: unit, attributes: attributes, status: "draft"));
        var id = draft.GetProperty("id").GetGuid();
        draft.GetProperty("status").GetString().ShouldBe("draft");
        draft.GetProperty("ownerId").GetGuid().ShouldBe(owner.Id);
        draft.GetProperty("rating").GetProperty("count").GetInt32().ShouldBe(0);

        // A draft is the owner's alone: anonymous and other users get 404, the owner sees it (not cached).
        (await _api.SendAsync(HttpMethod.Get, $"/api/listings/{id}", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _api.SendAsync(HttpMethod.Get, $"/api/listings/{id}", other.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var mine = await _api.SendAsync(HttpMethod.Get, $"/api/listings/{id}", owner.Token))
        {
            mine.StatusCode.ShouldBe(HttpStatusCode.OK);
            mine.Headers.CacheControl?.NoStore.ShouldBeTrue();
        }

        // Only the owner edits: another user's PATCH is a 404 and changes nothing.
        using (var foreign = await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", other.Token, new { title = "Mine now" }))
        {
            await MarketApi.ShouldBeProblemAsync(foreign, HttpStatusCode.NotFound);
        }

        (await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", null, new { title = "No token" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using (var publish = await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", owner.Token, new { status = "published", title = "Published title" }))
        {
            publish.StatusCode.ShouldBe(HttpStatusCode.OK, await publish.Content.ReadAsStringAsync(Ct));
        }

        var published = await _api.GetAsync(null, $"/api/listings/{id}");
        published.GetProperty("title").GetString().ShouldBe("Published title");
        published.GetProperty("status").GetString().ShouldBe("published");
        published.GetProperty("kind").GetString().ShouldBe(kind);
        published.GetProperty("price").GetProperty("amount").GetInt64().ShouldBe(1_500);

        // Services and jobs are offered by providers: publishing one grants the role (seen in the next token).
        var (token, _) = await _api.SignInAsync(owner.Email);
        var me = await _api.GetAsync(owner with { Token = token }, "/api/auth/me");
        var roles = me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        if (kind is "service" or "job")
        {
            roles.ShouldContain("provider");
        }
        else
        {
            roles.ShouldNotContain("provider");
        }

        (await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", owner.Token, new { status = "draft" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", owner.Token, new { status = "closed" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.SendAsync(HttpMethod.Get, $"/api/listings/{id}", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "closed listings are the owner's alone");

        // Closed is final and takes no requests.
        (await _api.SendAsync(HttpMethod.Patch, $"/api/listings/{id}", owner.Token, new { status = "published" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _api.SendAsync(HttpMethod.Post, $"/api/listings/{id}/requests", other.Token, new { message = "Still there?" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Deleting: the owner only.
        (await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{id}", other.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{id}", owner.Token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _api.SendAsync(HttpMethod.Get, $"/api/listings/{id}", owner.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Attributes_AreNormalized_SeniorCareHasAllSixNeeds()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var care = await _api.CreateListingAsync(owner, MarketApi.ListingBody("service", "senior-care", priceUnit: "hour", attributes: new { companionship = true, mobility = true }));
        var attributes = care.GetProperty("attributes");
        attributes.EnumerateObject().Select(p => p.Name).Order().ShouldBe(new[] { "companionship", "householdTasks", "mobility", "personalCare", "specializedCare", "transportation" });
        attributes.GetProperty("companionship").GetBoolean().ShouldBeTrue();
        attributes.GetProperty("transportation").GetBoolean().ShouldBeFalse();

        var cleaning = await _api.CreateListingAsync(owner, MarketApi.ListingBody("service", "housekeeping", priceUnit: "hour", attributes: new { tasks = new[] { "shopping", "cleaning" } }));
        cleaning.GetProperty("attributes").GetProperty("tasks").EnumerateArray().Select(t => t.GetString()).ShouldBe(new[] { "cleaning", "shopping" });
    }

    public static TheoryData<string, object, string> BadListings => new()
    {
        { "unknown kind", MarketApi.ListingBody(kind: "barter"), "kind" },
        { "unknown category", MarketApi.ListingBody(category: "cars"), "category" },
        { "category not for the kind", MarketApi.ListingBody(kind: "sale", category: "tutoring"), "category" },
        { "unknown attribute", MarketApi.ListingBody(category: "goods", attributes: new { colour = "red" }), "attributes.colour" },
        { "tutoring without level", MarketApi.ListingBody("service", "tutoring", attributes: new { subject = "math" }), "attributes.level" },
        { "tutoring level not in the list", MarketApi.ListingBody("service", "tutoring", attributes: new { level = "phd", subject = "math" }), "attributes.level" },
        { "schoolYear not an integer", MarketApi.ListingBody("service", "tutoring", attributes: new { level = "primary", subject = "math", schoolYear = "two" }), "attributes.schoolYear" },
        { "housekeeping task unknown", MarketApi.ListingBody("service", "housekeeping", attributes: new { tasks = new[] { "gardening" } }), "attributes.tasks" },
        { "senior care need not boolean", MarketApi.ListingBody("service", "senior-care", attributes: new { mobility = "yes" }), "attributes.mobility" },
        { "bedrooms negative", MarketApi.ListingBody("rent", "housing", attributes: new { bedrooms = -1 }), "attributes.bedrooms" },
        { "employment unknown", MarketApi.ListingBody("job", "jobs", attributes: new { employment = "forever" }), "attributes.employment" },
        { "short title", MarketApi.ListingBody(title: "ab"), "title" },
        { "negative price", MarketApi.ListingBody(price: -5), "price.amount" },
        { "unknown price unit", MarketApi.ListingBody(priceUnit: "year"), "priceUnit" },
        { "status closed on create", MarketApi.ListingBody(status: "closed"), "status" },
        { "float price", """{"kind":"sale","category":"goods","title":"Lamp","description":"x","price":{"amount":1.5,"currency":"USD"},"priceUnit":"item","location":{"city":"Accra","country":"GH"}}""", "price.amount" },
        { "not JSON", "{ nope", "body" },
    };

    [Theory]
    [MemberData(nameof(BadListings))]
    public async Task BadListing_Is400NamingTheField_AndCreatesNothing(string why, object body, string field)
    {
        var owner = await _api.NewUserAsync(fund: 0);
        using var response = await _api.SendAsync(HttpMethod.Post, "/api/listings", owner.Token, body);
        (await MarketApi.ErrorKeysAsync(response)).ShouldContain(field, why);
        (await MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM listings WHERE owner_id = $1", owner.Id)).ShouldBe(0L, why);
    }

    [Fact]
    public async Task Create_WithoutToken_Is401()
    {
        using var response = await _api.SendAsync(HttpMethod.Post, "/api/listings", null, MarketApi.ListingBody());
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OwnerListsOwnDrafts_OthersCannot()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var other = await _api.NewUserAsync(fund: 0);
        await _api.CreateListingAsync(owner, MarketApi.ListingBody(status: "draft"));
        var mine = await _api.GetAsync(owner, $"/api/listings?ownerId={owner.Id}&status=draft");
        mine.GetProperty("items").GetArrayLength().ShouldBe(1);
        using var theirs = await _api.SendAsync(HttpMethod.Get, $"/api/listings?ownerId={owner.Id}&status=draft", other.Token);
        (await MarketApi.ErrorKeysAsync(theirs)).ShouldContain("status");
    }
}
