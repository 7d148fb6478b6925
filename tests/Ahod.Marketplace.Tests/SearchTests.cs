using System.Net;
using System.Text.Json;

namespace Ahod.Marketplace.Tests;

public sealed class SearchTests(MarketplaceAppFixture fixture)
{
    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A word no other test uses, so each test searches only its own listings.</summary>
    private static string Word() => "zork" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8).ToArray());

    private async Task<List<JsonElement>> ReadAllAsync(string query, int limit)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _api.GetAsync(null, $"/api/listings?{query}&limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(limit);
            all.AddRange(items);
            cursor = page.GetProperty("nextCursor") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
            (++pages).ShouldBeLessThan(50);
        }
        while (cursor is not null);

        return all;
    }

    [Fact]
    public async Task FullText_RanksTitleAboveDescription_FiltersByAttributes_AndPagesCorrectlyUnderEverySort()
    {
        var word = Word();
        var owner = await _api.NewUserAsync(fund: 0);
        var other = await _api.NewUserAsync(fund: 0);
        object Tutoring(string title, string description, long price, string level, string subject, string city = "Accra") =>
            MarketApi.ListingBody("service", "tutoring", title, description, price, "hour", city, new { level, subject });

        var inTitle = new List<Guid>();
        foreach (var (level, price) in new[] { ("university", 2_000L), ("university", 2_000L), ("secondary", 2_000L), ("primary", 900L) })
        {
            inTitle.Add((await _api.CreateListingAsync(owner, Tutoring($"{word} tutoring sessions", "Patient and friendly.", price, level, "Calculus"))).GetProperty("id").GetGuid());
        }

        var inDescription = new List<Guid>();
        foreach (var price in new[] { 1_200L, 3_000L, 2_000L })
        {
            inDescription.Add((await _api.CreateListingAsync(other, Tutoring("Evening lessons", $"Ask me about {word} anytime.", price, "adult", "Physics"))).GetProperty("id").GetGuid());
        }

        var elsewhere = (await _api.CreateListingAsync(other, Tutoring($"{word} in Kumasi", "Weekends.", 500, "adult", "History", city: "Kumasi"))).GetProperty("id").GetGuid();
        var draft = (await _api.CreateListingAsync(owner, MarketApi.ListingBody("service", "tutoring", $"{word} draft", status: "draft", attributes: new { level = "adult", subject = "x" }))).GetProperty("id").GetGuid();
        var everything = inTitle.Concat(inDescription).Append(elsewhere).ToHashSet();

        // Ranked: every title match before every description-only match; drafts never show.
        var ranked = await ReadAllAsync($"q={word}", limit: 3);
        ranked.Select(l => l.GetProperty("id").GetGuid()).ToHashSet().SetEquals(everything).ShouldBeTrue();
        ranked.Select(l => l.GetProperty("id").GetGuid()).ShouldNotContain(draft);
        var positions = ranked.Select(l => l.GetProperty("id").GetGuid()).ToList();
        inTitle.Max(positions.IndexOf).ShouldBeLessThan(inDescription.Min(positions.IndexOf));

        // Every sort, pages of 2: each listing exactly once, in the sort's order (ties on price broken by id).
        foreach (var sort in new[] { "relevance", "newest", "price_asc", "price_desc" })
        {
            var all = await ReadAllAsync($"q={word}&sort={sort}", limit: 2);
            var ids = all.Select(l => l.GetProperty("id").GetGuid()).ToList();
            ids.Count.ShouldBe(everything.Count, sort);
            ids.ToHashSet().SetEquals(everything).ShouldBeTrue(sort);
            var prices = all.Select(l => l.GetProperty("price").GetProperty("amount").GetInt64()).ToList();
            var created = all.Select(l => l.GetProperty("createdAt").GetDateTimeOffset()).ToList();
            switch (sort)
            {
                case "price_asc":
                    prices.ShouldBe(prices.Order().ToList(), sort);
                    break;
                case "price_desc":
                    prices.ShouldBe(prices.OrderDescending().ToList(), sort);
                    break;
                case "newest":
                    created.ShouldBe(created.OrderDescending().ToList(), sort);
                    break;
            }
        }

        // Filters: attributes (free text matched whatever its case), price range, city, kind, category, owner.
        var university = await ReadAllAsync($"q={word}&attr.level=university", 10);
        university.Select(l => l.GetProperty("id").GetGuid()).ShouldBe(inTitle.Take(2), ignoreOrder: true);
        (await ReadAllAsync($"q={word}&category=tutoring&attr.subject=PHYSICS", 10)).Select(l => l.GetProperty("id").GetGuid()).ShouldBe(inDescription, ignoreOrder: true);
        (await ReadAllAsync($"q={word}&minPrice=1000&maxPrice=2000&sort=price_asc", 10)).Select(l => l.GetProperty("price").GetProperty("amount").GetInt64())
            .ShouldBe(new[] { 1_200L, 2_000, 2_000, 2_000, 2_000 });
        (await ReadAllAsync($"q={word}&city=kumasi", 10)).Select(l => l.GetProperty("id").GetGuid()).ShouldBe([elsewhere]);
        (await ReadAllAsync($"q={word}&kind=sale", 10)).ShouldBeEmpty();
        (await ReadAllAsync($"q={word}&ownerId={owner.Id}", 10)).Select(l => l.GetProperty("id").GetGuid()).ShouldBe(inTitle, ignoreOrder: true);
    }

    [Fact]
    public async Task Browse_WithoutQuery_IsNewestFirst_AndNeedsNoToken()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid());
        }

        var page = await ReadAllAsync($"ownerId={owner.Id}", 2);
        page.Select(l => l.GetProperty("id").GetGuid()).ShouldBe(Enumerable.Reverse(ids).ToList());
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "attr.colour=red", "attr.colour" },
        { "category=tutoring&attr.bedrooms=2", "attr.bedrooms" },
        { "attr.level=phd", "attr.level" },
        { "sort=relevance", "sort" },
        { "sort=cheapest", "sort" },
        { "kind=barter", "kind" },
        { "minPrice=abc", "minPrice" },
        { "minPrice=500&maxPrice=100", "maxPrice" },
        { "currency=usd", "currency" },
        { "limit=0", "limit" },
        { "limit=101", "limit" },
        { "cursor=not-a-cursor", "cursor" },
        { "status=draft", "status" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadQuery_Is400NamingTheParameter(string query, string field)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/listings?" + query, null);
        (await MarketApi.ErrorKeysAsync(response)).ShouldContain(field);
    }

    [Fact]
    public async Task CursorOfAnotherSort_Is400()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        await _api.CreateListingAsync(owner);
        await _api.CreateListingAsync(owner);
        var page = await _api.GetAsync(null, $"/api/listings?ownerId={owner.Id}&limit=1&sort=price_asc");
        var cursor = page.GetProperty("nextCursor").GetString()!;
        using var response = await _api.SendAsync(HttpMethod.Get, $"/api/listings?ownerId={owner.Id}&limit=1&sort=newest&cursor={Uri.EscapeDataString(cursor)}", null);
        (await MarketApi.ErrorKeysAsync(response)).ShouldContain("cursor");
    }
}
