using System.Data;
using Ahod.Marketplace.Data;
using Ahod.Marketplace.Listings;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Gdpr;

public sealed record GdprExport(string Service, object Data);

/// <summary>Everything this service holds about one user, for Identity's export (GDPR art. 15/20).</summary>
public static class GdprEndpoints
{
    public static RouteGroupBuilder MapGdprEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/internal/gdpr").RequireInternalApiKey().WithTags("GDPR");
        group.MapGet("/users/{userId:guid}", ExportAsync);
        return group;
    }

    internal static async Task<Ok<GdprExport>> ExportAsync(Guid userId, MarketplaceDbContext db, CancellationToken cancellationToken)
    {
        // One snapshot, so an erasure committing half-way through never shows in part.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var listings = await db.Listings.AsNoTracking().Where(l => l.OwnerId == userId).OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        var ids = listings.Select(l => l.Id).ToList();
        var images = await db.Images.AsNoTracking().Where(i => ids.Contains(i.ListingId)).ToListAsync(cancellationToken);
        var requests = await db.Requests.AsNoTracking().Where(r => r.RequesterId == userId || r.OwnerId == userId).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        var reviews = await db.Reviews.AsNoTracking().Where(r => r.AuthorId == userId).OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Id, r.ListingId, r.RequestId, r.AuthorRole, r.Rating, r.Text, r.CreatedAt }).ToListAsync(cancellationToken);
        await snapshot.CommitAsync(cancellationToken);

        var imagesByListing = images.ToLookup(i => i.ListingId);
        return TypedResults.Ok(new GdprExport("marketplace", new
        {
            listings = listings.Select(l => ListingResponse.From(l, imagesByListing[l.Id])),
            requests = requests.Select(Requests.RequestResponse.From),
            reviews,
        }));
    }
}
