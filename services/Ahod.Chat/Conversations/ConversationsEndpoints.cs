using Ahod.Chat.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Conversations;

public static class ConversationsEndpoints
{
    public static RouteGroupBuilder MapConversationsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/conversations").RequireAuthorization().WithNoStore().WithTags("Conversations");
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);

        // Everything under one conversation is for its participants only; others get 404, as for an unknown id.
        var one = group.MapGroup("/{id:guid}").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var id = Guid.Parse((string)http.Request.RouteValues["id"]!);
            var store = http.RequestServices.GetRequiredService<ConversationStore>();
            return await store.IsParticipantAsync(id, http.User.GetUserId(), http.RequestAborted) ? await next(context) : Problems.NotFound();
        });
        one.MapGet("/", GetAsync);
        one.MapGet("/messages", MessagesAsync);
        one.MapPost("/messages", SendAsync);
        one.MapPost("/read", MarkReadAsync);
        return group;
    }

    public readonly record struct ConversationCursor(DateTimeOffset At, Guid Id)
    {
        public override string ToString() => $"{At.UtcTicks}_{Id:N}";

        public static bool TryParse(string text, out ConversationCursor cursor)
        {
            cursor = new(default, default);
            var parts = text.Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }

            cursor = new(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
    }

    internal static async Task<Results<Ok<Page<ConversationResponse>>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, HttpContext http, ChatDbContext db, ConversationStore store, CancellationToken ct)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<ConversationCursor>(cursor, ConversationCursor.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var userId = http.User.GetUserId();
        var query = db.Conversations.AsNoTracking()
            .Where(c => db.Participants.Any(p => p.ConversationId == c.Id && p.UserId == userId && p.LeftAt == null));
        if (after is { } a)
        {
            query = query.Where(c => c.LastActivityAt < a.At || (c.LastActivityAt == a.At && c.Id.CompareTo(a.Id) < 0));
        }

        var rows = await query.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        var views = await store.ViewsAsync(rows, userId, ct);
        return TypedResults.Ok(Paging.From(views, take, v => new ConversationCursor(v.LastActivityAt, v.Id).ToString()));
    }

    internal static async Task<Results<Created<ConversationResponse>, Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateConversationRequest body, HttpContext http, ChatDbContext db, ConversationStore store, CancellationToken ct)
    {
        var me = http.User.GetUserId();
        (Conversation Conversation, bool Created) result;
        switch (body.Type)
        {
            case ConversationTypes.Direct:
                if (body.UserId is not { } other || other == Guid.Empty)
                {
                    return Problems.Invalid("userId", "Required: the id of the user to talk to.");
                }

                if (other == me)
                {
                    return Problems.Invalid("userId", "A direct conversation is with someone else.");
                }

                if (!await db.Users.AnyAsync(u => u.Id == other && !u.Erased, ct))
                {
                    return Problems.NotFound("user");
                }

                result = await store.FindOrCreateAsync(ConversationStore.DirectKey(me, other), ConversationTypes.Direct, null, [me, other], null, null, ct);
                break;
            case ConversationTypes.Listing:
                if (body.ListingId is not { } listingId || listingId == Guid.Empty)
                {
                    return Problems.Invalid("listingId", "Required: the id of the listing to ask about.");
                }

                if (await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == listingId, ct) is not { } listing)
                {
                    return Problems.NotFound("listing");
                }

                if (listing.OwnerId == me)
                {
                    return Problems.Rule("Your own listing.", "Conversations about a listing are opened by the people interested in it.");
                }

                result = await store.FindOrCreateAsync(ConversationStore.ListingKey(listingId, me), ConversationTypes.Listing, listing.Title, [me, listing.OwnerId], listingId, null, ct);
                break;
            default:
                return Problems.Invalid("type", "direct or listing (community conversations follow the community's membership).");
        }

        var view = (await store.ViewsAsync([result.Conversation], me, ct))[0];
        return result.Created ? TypedResults.Created($"/api/conversations/{view.Id}", view) : TypedResults.Ok(view);
    }

    internal static async Task<Ok<ConversationResponse>> GetAsync(Guid id, HttpContext http, ChatDbContext db, ConversationStore store, CancellationToken ct)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == id, ct);
        return TypedResults.Ok((await store.ViewsAsync([conversation], http.User.GetUserId(), ct))[0]);
    }

    /// <summary>Newest first; <c>before</c> is the smallest seq of the previous page (the cursor is that seq too).</summary>
    internal static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem>> MessagesAsync(
        Guid id, long? before, int? limit, string? cursor, ChatDbContext db, CancellationToken ct)
    {
        var validation = new Validation();
        var take = validation.Limit(limit, 50);
        var fromCursor = validation.Cursor<long>(cursor, long.TryParse);
        validation.Require(before is null or > 0, "before", "A seq greater than 0.");
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var upper = fromCursor ?? before ?? long.MaxValue;
        var rows = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id && m.Seq < upper)
            .OrderByDescending(m => m.Seq).Take(take + 1).Select(m => MessageResponse.From(m)).ToListAsync(ct);
        return TypedResults.Ok(Paging.From(rows, take, m => m.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>For clients without a socket: 201 for a new message, 200 with the first one for a resend.</summary>
    internal static async Task<Results<Created<MessageResponse>, Ok<MessageResponse>, ValidationProblem, ProblemHttpResult>> SendAsync(
        Guid id, SendMessageRequest body, HttpContext http, MessageSender sender, CancellationToken ct)
    {
        var result = await sender.SendAsync(http.User.GetUserId(), id, body.ClientMessageId, body.Text, ct);
        return result.Outcome switch
        {
            SendOutcome.Sent => TypedResults.Created($"/api/conversations/{id}/messages/{result.Message!.Seq}", result.Message),
            SendOutcome.Duplicate => TypedResults.Ok(result.Message!),
            SendOutcome.Invalid => Problems.Invalid(result.Validation!),
            _ => Problems.NotFound(),
        };
    }

    public sealed record MarkReadRequest(long Seq);

    public sealed record ReadResponse(long ReadUpTo);

    internal static async Task<Results<Ok<ReadResponse>, ValidationProblem, ProblemHttpResult>> MarkReadAsync(
        Guid id, MarkReadRequest body, HttpContext http, MessageSender sender, CancellationToken ct)
    {
        if (body.Seq < 0)
        {
            return Problems.Invalid("seq", "Must not be negative.");
        }

        return await sender.MarkReadAsync(http.User.GetUserId(), id, body.Seq, ct) is { } readUpTo
            ? TypedResults.Ok(new ReadResponse(readUpTo))
            : Problems.NotFound();
    }
}
