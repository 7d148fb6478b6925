using System.Security.Claims;
using Ahod.Marketplace.Clients;
using Ahod.Marketplace.Data;
using Ahod.Marketplace.Images;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Listings;

public static class ListingsEndpoints
{
    public static RouteGroupBuilder MapListingsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/listings").WithTags("Listings");
        // Browsing needs no token; a signed-in owner also sees their drafts and closed listings.
        group.MapGet("/", ListingSearch.SearchAsync).AllowAnonymous();
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous();

        var owner = group.MapGroup("/").RequireAuthorization().WithNoStore();
        owner.MapPost("/", CreateAsync);
        owner.MapPatch("/{id:guid}", UpdateAsync);
        owner.MapDelete("/{id:guid}", DeleteAsync);
        return group;
    }

    /// <summary>Services and jobs are offered by providers: publishing one is what makes a member a provider.</summary>
    private static bool NeedsProvider(Listing listing) => listing.Status == ListingStatuses.Published && listing.Kind is "service" or "job";

    internal static async Task<Results<Created<ListingResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateListingRequest request, ClaimsPrincipal user, MarketplaceDbContext db, IdentityClient identity, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Require(request.Kind is { } kind && Categories.Kinds.Contains(kind), "kind", "Must be sale, rent, job or service.");
        validation.Require(request.Status is null or ListingStatuses.Draft or ListingStatuses.Published, "status", "Must be draft or published.");
        var listing = new Listing
        {
            Id = Guid.CreateVersion7(),
            OwnerId = user.GetUserId(),
            Kind = request.Kind ?? "",
            Status = request.Status ?? ListingStatuses.Draft,
            CreatedAt = clock.GetUtcNow(),
        };
        listing.UpdatedAt = listing.CreatedAt;
        Apply(listing, new UpdateListingRequest(request.Category, request.Title, request.Description, request.Price, request.PriceUnit,
            request.Location, request.Attributes, null), validation, creating: true);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        if (NeedsProvider(listing))
        {
            try
            {
                await identity.GrantRoleAsync(listing.OwnerId, "provider", cancellationToken);
            }
            catch (ServiceUnavailableException e)
            {
                return Problems.Unavailable(e.Service, e.Message);
            }
        }

        db.Listings.Add(listing);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/listings/{listing.Id}", ListingResponse.From(listing, []));
    }

    internal static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, HttpContext http, MarketplaceDbContext db, CancellationToken cancellationToken)
    {
        var listing = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (listing is null || !IsVisible(listing, user))
        {
            return Problems.NotFound("listing");
        }

        if (listing.Status != ListingStatuses.Published)
        {
            // Only its owner sees it: no shared cache may keep a copy.
            http.Response.Headers.CacheControl = "no-store";
        }

        var images = await db.Images.AsNoTracking().Where(i => i.ListingId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ListingResponse.From(listing, images));
    }

    internal static bool IsVisible(Listing listing, ClaimsPrincipal user) =>
        listing.Status == ListingStatuses.Published || (user.TryGetUserId(out var caller) && caller == listing.OwnerId);

    internal static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateListingRequest request, ClaimsPrincipal user, MarketplaceDbContext db, IdentityClient identity, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var listing = await LockOwnAsync(db, id, user, cancellationToken);
        if (listing is null)
        {
            return Problems.NotFound("listing");
        }

        if (listing.Status == ListingStatuses.Closed)
        {
            return Problems.Conflict("The listing is closed; a closed listing cannot change.");
        }

        var validation = new Validation();
        var wasPublished = listing.Status == ListingStatuses.Published;
        if (request.Status is { } status)
        {
            if (status is not (ListingStatuses.Draft or ListingStatuses.Published or ListingStatuses.Closed))
            {
                validation.Add("status", "Must be draft, published or closed.");
            }
            else if (status == ListingStatuses.Draft && wasPublished)
            {
                return Problems.Conflict("A published listing cannot go back to draft; close it instead.");
            }
        }

        Apply(listing, request, validation, creating: false);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        if (request.Status is { } next)
        {
            listing.Status = next;
        }

        if (!wasPublished && NeedsProvider(listing))
        {
            try
            {
                await identity.GrantRoleAsync(listing.OwnerId, "provider", cancellationToken);
            }
            catch (ServiceUnavailableException e)
            {
                return Problems.Unavailable(e.Service, e.Message);
            }
        }

        listing.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var images = await db.Images.AsNoTracking().Where(i => i.ListingId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ListingResponse.From(listing, images));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, MarketplaceDbContext db, IImageStore store, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var listing = await LockOwnAsync(db, id, user, cancellationToken);
        if (listing is null)
        {
            return Problems.NotFound("listing");
        }

        // Requests lock the listing row before they are created, so none can slip in between this check and the delete.
        if (await db.Requests.AnyAsync(r => r.ListingId == id && RequestStatuses.Open.Contains(r.Status), cancellationToken))
        {
            return Problems.Conflict("The listing has open requests; decline them or close the listing instead.");
        }

        var images = await db.Images.Where(i => i.ListingId == id).Select(i => i.Id).ToListAsync(cancellationToken);
        db.Listings.Remove(listing);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var imageId in images)
        {
            await store.DeleteImageAsync(id, imageId, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The caller's own listing, row-locked for the transaction; null when it does not exist or is someone else's.</summary>
    internal static async Task<Listing?> LockOwnAsync(MarketplaceDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var listing = await db.Listings.FromSql($"SELECT * FROM listings WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        return listing is not null && listing.OwnerId == user.GetUserId() ? listing : null;
    }

    /// <summary>Validates and applies the given fields; on create every field is required.</summary>
    private static void Apply(Listing listing, UpdateListingRequest request, Validation validation, bool creating)
    {
        var categoryName = request.Category ?? (creating ? null : listing.Category);
        Category? category = null;
        if (categoryName is null || !Categories.All.TryGetValue(categoryName, out category))
        {
            validation.Add("category", $"Must be one of: {string.Join(", ", Categories.All.Keys)}.");
        }
        else if (listing.Kind.Length > 0 && !category.Kinds.Contains(listing.Kind))
        {
            validation.Add("category", $"A {listing.Kind} listing cannot be in {category.Name}; it takes {string.Join(" or ", category.Kinds)} listings.");
            category = null;
        }

        if (creating || request.Title is not null)
        {
            validation.Require(request.Title?.Trim() is { Length: >= 3 and <= 120 }, "title", "Required: 3 to 120 characters.");
            listing.Title = request.Title?.Trim() ?? "";
        }

        if (creating || request.Description is not null)
        {
            validation.Require(request.Description?.Trim() is { Length: >= 1 and <= 5000 }, "description", "Required: 1 to 5000 characters.");
            listing.Description = request.Description?.Trim() ?? "";
        }

        if (creating || request.Price is not null)
        {
            validation.Money(request.Price, "price");
            listing.PriceAmount = request.Price?.Amount ?? 0;
            listing.Currency = request.Price?.Currency ?? "";
        }

        if (creating || request.PriceUnit is not null)
        {
            validation.Require(request.PriceUnit is { } unit && Categories.PriceUnits.Contains(unit), "priceUnit", "Must be item, hour, day, week or month.");
            listing.PriceUnit = request.PriceUnit ?? "";
        }

        if (creating || request.Location is not null)
        {
            var location = request.Location;
            validation.Require(location is not null, "location", "Required: { city, region, country }.");
            if (location is not null)
            {
                validation.Require(location.City?.Trim() is { Length: >= 1 and <= 100 }, "location.city", "Required: 1 to 100 characters.");
                validation.Require(location.Region is null || location.Region.Trim().Length <= 100, "location.region", "At most 100 characters.");
                validation.Require(location.Country is { Length: 2 } c && c.All(char.IsAsciiLetterUpper), "location.country", "Required: an ISO 3166 code in upper case, e.g. US.");
                listing.City = location.City?.Trim() ?? "";
                listing.Region = string.IsNullOrWhiteSpace(location.Region) ? null : location.Region.Trim();
                listing.Country = location.Country ?? "";
            }
        }

        // A new category re-checks the attributes it takes, even when none were sent.
        if (category is not null && (creating || request.Attributes is not null || request.Category is not null))
        {
            var attributes = request.Attributes ?? (request.Category is not null && !creating
                ? System.Text.Json.JsonDocument.Parse(listing.Attributes).RootElement
                : null);
            if (Categories.Normalize(category, attributes, validation) is { } normalized)
            {
                listing.Attributes = normalized;
                listing.Category = category.Name;
            }
        }
    }
}
