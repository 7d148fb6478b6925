using System.Security.Claims;
using Ahod.Marketplace.Data;
using Ahod.Marketplace.Listings;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Marketplace.Reviews;

public sealed record CreateReviewRequest(Guid RequestId, int? Rating, string? Text);

public sealed record ReviewResponse(Guid Id, Guid ListingId, Guid RequestId, Guid? AuthorId, string AuthorRole, int Rating, string Text, DateTimeOffset CreatedAt)
{
    public static ReviewResponse From(Review r) => new(r.Id, r.ListingId, r.RequestId, r.AuthorId, r.AuthorRole, r.Rating, r.Text, r.CreatedAt);
}

/// <summary>
/// Reviews after a completed request, one per party per request. The requester's rating is about the listing and
/// counts toward its <c>rating</c>; the owner's is about the requester and is shown beside it.
/// </summary>
public static class ReviewsEndpoints
{
    public static RouteGroupBuilder MapReviewsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/listings/{id:guid}/reviews").WithTags("Reviews");
        group.MapGet("/", ListAsync).AllowAnonymous();
        group.MapPost("/", CreateAsync).RequireAuthorization().WithNoStore();
        return group;
    }

    internal static async Task<Results<Created<ReviewResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid id, CreateReviewRequest body, ClaimsPrincipal user, MarketplaceDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Id(body.RequestId, "requestId");
        validation.Require(body.Rating is >= 1 and <= 5, "rating", "Required: an integer from 1 to 5.");
        validation.Require(body.Text?.Trim() is { Length: >= 1 and <= 2000 }, "text", "Required: 1 to 2000 characters.");
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var me = user.GetUserId();
        var request = await db.Requests.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == body.RequestId && r.ListingId == id && (r.OwnerId == me || r.RequesterId == me), cancellationToken);
        if (request is null)
        {
            return Problems.NotFound("request on this listing");
        }

        if (request.Status != RequestStatuses.Completed)
        {
            return Problems.Rule("Not completed.", "A request can be reviewed once it is completed.");
        }

        var review = new Review
        {
            Id = Guid.CreateVersion7(),
            ListingId = id,
            RequestId = request.Id,
            AuthorId = me,
            AuthorRole = request.RequesterId == me ? "requester" : "owner",
            Rating = body.Rating!.Value,
            Text = body.Text!.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Reviews.Add(review);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: MarketplaceDbContext.UniqueReviewIndex })
        {
            return Problems.Conflict("You have already reviewed this request.");
        }

        if (review.AuthorRole == "requester")
        {
            // In SQL, so concurrent reviews of one listing add up instead of overwriting each other.
            await db.Listings.Where(l => l.Id == id).ExecuteUpdateAsync(
                s => s.SetProperty(l => l.RatingSum, l => l.RatingSum + review.Rating).SetProperty(l => l.RatingCount, l => l.RatingCount + 1), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/listings/{id}/reviews/{review.Id}", ReviewResponse.From(review));
    }

    internal static async Task<Results<Ok<Page<ReviewResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid id, int? limit, string? cursor, ClaimsPrincipal user, MarketplaceDbContext db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<(DateTimeOffset At, Guid Id)>(cursor, Cursors.TryParseTime);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var listing = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (listing is null || !ListingsEndpoints.IsVisible(listing, user))
        {
            return Problems.NotFound("listing");
        }

        var reviews = after is { } a
            ? db.Reviews.FromSql($"SELECT * FROM reviews WHERE (created_at, id) < ({a.At}, {a.Id})")
            : db.Reviews;
        var rows = await reviews.AsNoTracking().Where(r => r.ListingId == id)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.From(rows.Select(ReviewResponse.From).ToList(), take,
            r => Cursors.EncodeTime(r.CreatedAt, r.Id)));
    }
}
