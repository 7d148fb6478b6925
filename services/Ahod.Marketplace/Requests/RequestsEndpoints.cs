using System.Security.Claims;
using Ahod.Marketplace.Clients;
using Ahod.Marketplace.Data;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ahod.Marketplace.Requests;

public static class RequestsEndpoints
{
    public static RouteGroupBuilder MapRequestsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/listings/{id:guid}/requests", CreateAsync).RequireAuthorization().WithNoStore().WithTags("Requests");

        var group = routes.MapGroup("/api/requests").RequireAuthorization().WithNoStore().WithTags("Requests");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync);
        group.MapPost("/{id:guid}/payment", PayAsync).RequireIdempotencyKey();
        return group;
    }

    internal static async Task<Results<Created<RequestResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid id, CreateRequestBody body, ClaimsPrincipal user, MarketplaceDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Require(body.Message?.Trim() is { Length: >= 1 and <= 2000 }, "message", "Required: 1 to 2000 characters.");
        validation.Require(body.StartDate is null || body.EndDate is null || body.EndDate >= body.StartDate, "endDate", "Must not be before startDate.");
        if (body.OfferedPrice is not null)
        {
            validation.Money(body.OfferedPrice, "offeredPrice");
        }

        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var requesterId = user.GetUserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Shared lock: a concurrent delete or close of the listing waits for this request to exist (or not).
        var listing = await db.Listings.FromSql($"SELECT * FROM listings WHERE id = {id} FOR SHARE").SingleOrDefaultAsync(cancellationToken);
        if (listing is null || (listing.Status == ListingStatuses.Draft && listing.OwnerId != requesterId))
        {
            return Problems.NotFound("listing");
        }

        if (listing.OwnerId == requesterId)
        {
            return Problems.Rule("Your own listing.", "You cannot send a request on your own listing.");
        }

        if (listing.Status != ListingStatuses.Published)
        {
            return Problems.Conflict("The listing is closed and takes no requests.");
        }

        if (body.OfferedPrice is { } offered && offered.Currency != listing.Currency)
        {
            return Problems.Invalid("offeredPrice.currency", $"Must be the listing's currency, {listing.Currency}.");
        }

        var now = clock.GetUtcNow();
        var request = new ListingRequest
        {
            Id = Guid.CreateVersion7(),
            ListingId = listing.Id,
            RequesterId = requesterId,
            OwnerId = listing.OwnerId,
            Kind = RequestStateMachine.KindFor(listing.Kind),
            Message = body.Message!.Trim(),
            StartDate = body.StartDate,
            EndDate = body.EndDate,
            PriceAmount = body.OfferedPrice?.Amount ?? listing.PriceAmount,
            Currency = listing.Currency,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Requests.Add(request);
        db.AddIntegrationEvent(new ListingRequestCreated(request.Id, listing.Id, listing.Title, listing.OwnerId, requesterId, request.Kind) { OccurredAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/requests/{request.Id}", RequestResponse.From(request));
    }

    internal static async Task<Results<Ok<Page<RequestResponse>>, ValidationProblem>> ListAsync(
        string? role, string? status, int? limit, string? cursor, ClaimsPrincipal user, MarketplaceDbContext db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Require(role is null or "owner" or "requester", "role", "Must be owner or requester.");
        validation.Require(status is null || RequestStatuses.Open.Contains(status) || status is RequestStatuses.Declined or RequestStatuses.Cancelled or RequestStatuses.Completed,
            "status", "Must be new, seen, accepted, declined, cancelled, paid or completed.");
        var take = validation.Limit(limit);
        var after = validation.Cursor<(DateTimeOffset At, Guid Id)>(cursor, Cursors.TryParseTime);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var me = user.GetUserId();
        var requests = after is { } a
            ? db.Requests.FromSql($"SELECT * FROM requests WHERE (created_at, id) < ({a.At}, {a.Id})")
            : db.Requests;
        requests = role switch
        {
            "owner" => requests.Where(r => r.OwnerId == me),
            "requester" => requests.Where(r => r.RequesterId == me),
            _ => requests.Where(r => r.OwnerId == me || r.RequesterId == me),
        };
        if (status is not null)
        {
            requests = requests.Where(r => r.Status == status);
        }

        var rows = await requests.AsNoTracking().OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.From(rows.Select(RequestResponse.From).ToList(), take, r => Cursors.EncodeTime(r.CreatedAt, r.Id)));
    }

    internal static async Task<Results<Ok<RequestResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, MarketplaceDbContext db, CancellationToken cancellationToken)
    {
        var me = user.GetUserId();
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && (r.OwnerId == me || r.RequesterId == me), cancellationToken);
        return request is null ? Problems.NotFound("request") : TypedResults.Ok(RequestResponse.From(request));
    }

    internal static async Task<Results<Ok<RequestResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateRequestBody body, ClaimsPrincipal user, MarketplaceDbContext db, EscrowService escrow, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Require(body.Status is { } s && RequestStateMachine.Targets.Contains(s), "status", "Must be seen, accepted, declined, cancelled or completed.");
        validation.Require(body.Reason is null || body.Reason.Trim().Length <= 500, "reason", "At most 500 characters.");
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var me = user.GetUserId();
        var request = await LockAsync(db, id, cancellationToken);
        if (request is null || (request.OwnerId != me && request.RequesterId != me))
        {
            return Problems.NotFound("request");
        }

        var target = body.Status!;
        if (RequestStateMachine.Who(request.Status, target) is not { } actor)
        {
            return Problems.Conflict($"A {request.Status} request cannot become {target}.");
        }

        var isOwner = request.OwnerId == me;
        if ((actor == RequestStateMachine.Actor.Owner && !isOwner) || (actor == RequestStateMachine.Actor.Requester && isOwner))
        {
            return Problems.Forbidden($"Only the {(actor == RequestStateMachine.Actor.Owner ? "listing's owner" : "requester")} can make a request {target}.");
        }

        var now = clock.GetUtcNow();
        EscrowResult? money;
        try
        {
            money = await escrow.SettleForAsync(request, target, cancellationToken);
        }
        catch (ServiceUnavailableException e)
        {
            return Problems.Unavailable(e.Service, e.Message);
        }

        if (money is { Refusal: { } refusal })
        {
            // What Payments found changed the request anyway (an expired or already-posted hold): keep that, refuse the move.
            if (money.Applied)
            {
                Touch(db, request, now, null);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return refusal;
        }

        request.Status = target;
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        if (target is RequestStatuses.Declined or RequestStatuses.Cancelled)
        {
            request.Reason = reason;
        }

        Touch(db, request, now, request.Reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(RequestResponse.From(request));
    }

    internal static async Task<Results<Created<PaymentResponse>, ValidationProblem, ProblemHttpResult>> PayAsync(
        Guid id, HttpContext http, ClaimsPrincipal user, MarketplaceDbContext db, EscrowService escrow, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var key = http.GetIdempotencyKey();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var me = user.GetUserId();
        var request = await LockAsync(db, id, cancellationToken);
        if (request is null || (request.OwnerId != me && request.RequesterId != me))
        {
            return Problems.NotFound("request");
        }

        var payer = RequestStateMachine.OwnerPays(request) ? request.OwnerId : request.RequesterId;
        if (payer != me)
        {
            return Problems.Forbidden(RequestStateMachine.OwnerPays(request) ? "The employer (the listing's owner) pays for a job." : "Only the requester pays.");
        }

        if (request.PaymentKey == key && request.HoldId is { } paid)
        {
            // A retry of the payment that placed the current hold: the same answer, nothing moves again.
            return TypedResults.Created($"/api/requests/{id}", new PaymentResponse(paid, request.PaymentStatus ?? "pending"));
        }

        if (request.Status != RequestStatuses.Accepted)
        {
            return Problems.Conflict(request.Status == RequestStatuses.Paid || request.Status == RequestStatuses.Completed
                ? "This request is already paid."
                : $"Only an accepted request can be paid; this one is {request.Status}.");
        }

        ProblemHttpResult? refused;
        try
        {
            refused = await escrow.HoldAsync(request, payer, cancellationToken);
        }
        catch (ServiceUnavailableException e)
        {
            return Problems.Unavailable(e.Service, e.Message);
        }

        if (refused is not null)
        {
            return refused;
        }

        request.Status = RequestStatuses.Paid;
        request.PaymentKey = key;
        Touch(db, request, clock.GetUtcNow(), null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/requests/{id}", new PaymentResponse(request.HoldId!.Value, request.PaymentStatus!));
    }

    /// <summary>Stamps the change and queues <c>listing.request-updated</c> in the same transaction.</summary>
    internal static void Touch(MarketplaceDbContext db, ListingRequest request, DateTimeOffset now, string? reason)
    {
        request.UpdatedAt = now;
        db.AddIntegrationEvent(new ListingRequestUpdated(request.Id, request.ListingId, request.OwnerId, request.RequesterId, request.Status, reason) { OccurredAt = now });
    }

    internal static Task<ListingRequest?> LockAsync(MarketplaceDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Requests.FromSql($"SELECT * FROM requests WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
}
