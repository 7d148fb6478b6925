using System.Globalization;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Pleas;

public sealed record CreatePleaRequest([Required, MinLength(3), MaxLength(200)] string Title, [Required, MaxLength(4000)] string Body);

public sealed record VoteRequest(bool InFavor);

public sealed record PleaResponse(Guid Id, Guid CommunityId, Guid UserId, string Title, string Body, string Status, int InFavor, int Against, int Electorate, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);

public sealed record VoteResponse(Guid PleaId, Guid UserId, bool InFavor, DateTimeOffset CreatedAt);

/// <summary>
/// A member asks the group (e.g. an earlier payout because a loan payment is due). A plea passes with a majority
/// of the current members in favour and fails once a majority cannot be reached; a passed plea lets the admin
/// reorder the rotation mid-season.
/// </summary>
public static class PleasEndpoints
{
    public static RouteGroupBuilder MapPleasEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{id:guid}/pleas").RequireAuthorization().WithTags("Pleas");
        group.MapPost("/", CreateAsync)
            .RequireCommunity(CommunityRole.Member, "Only members can ask the group.")
            .WithName("CreatePlea")
            .WithSummary("Ask the group for something")
            .WithDescription("E.g. an earlier payout; members vote on it.");
        group.MapGet("/", ListAsync)
            .RequireCommunity(CommunityRole.Member, "Only members see the community's pleas.")
            .WithName("ListPleas")
            .WithSummary("The community's pleas")
            .WithDescription("Cursor paged.");
        group.MapPost("/{pleaId:guid}/votes", VoteAsync)
            // The community row lock serializes the votes of one community, so a tally is decided once.
            .RequireCommunity(CommunityRole.Member, "Only members vote.", lockForUpdate: true)
            .WithName("VoteOnPlea")
            .WithSummary("Vote on a plea");
        group.MapGet("/{pleaId:guid}/votes", ListVotesAsync)
            .RequireCommunity(CommunityRole.Member, "Only members see the votes.")
            .WithName("ListPleaVotes")
            .WithSummary("The votes on a plea")
            .WithDescription("Cursor paged.");
        return group;
    }

    internal static async Task<Results<Created<PleaResponse>, ProblemHttpResult>> CreateAsync(
        Guid id, CreatePleaRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var plea = new Plea
        {
            Id = Guid.CreateVersion7(),
            CommunityId = id,
            UserId = userId,
            Title = request.Title.Trim(),
            Body = request.Body.Trim(),
            Status = PleaStatuses.Open,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Pleas.Add(plea);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/communities/{id}/pleas/{plea.Id}", await ToResponseAsync(db, plea, cancellationToken));
    }

    internal static async Task<Results<Ok<Page<PleaResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid id, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var before = validation.Cursor<Guid>(cursor, Guid.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        // Newest first: v7 ids sort by creation time, the cursor is the last id seen.
        var query = db.Pleas.AsNoTracking().Where(p => p.CommunityId == id);
        if (before is { } b)
        {
            query = query.Where(p => p.Id.CompareTo(b) < 0);
        }

        var pleas = await query.OrderByDescending(p => p.Id).Take(take + 1).ToListAsync(cancellationToken);
        var result = new List<PleaResponse>();
        foreach (var plea in pleas)
        {
            result.Add(await ToResponseAsync(db, plea, cancellationToken));
        }

        return TypedResults.Ok(Paging.From(result, take, p => p.Id.ToString()));
    }

    internal static async Task<Results<Ok<PleaResponse>, ProblemHttpResult>> VoteAsync(
        Guid id, Guid pleaId, VoteRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var plea = await db.Pleas.SingleOrDefaultAsync(p => p.Id == pleaId && p.CommunityId == id, cancellationToken);
        if (plea is null)
        {
            return Problems.NotFound("plea");
        }

        if (plea.Status != PleaStatuses.Open)
        {
            return Problems.Rule("Voting is closed.", $"The plea was {plea.Status}.");
        }

        var now = clock.GetUtcNow();
        var vote = await db.PleaVotes.SingleOrDefaultAsync(v => v.PleaId == pleaId && v.UserId == userId, cancellationToken);
        if (vote is null)
        {
            db.PleaVotes.Add(new PleaVote { PleaId = pleaId, UserId = userId, InFavor = request.InFavor, CreatedAt = now });
        }
        else
        {
            vote.InFavor = request.InFavor;
            vote.CreatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        var tally = await ToResponseAsync(db, plea, cancellationToken);
        if (tally.InFavor * 2 > tally.Electorate)
        {
            plea.Status = PleaStatuses.Passed;
            plea.DecidedAt = now;
        }
        else if (tally.Against * 2 >= tally.Electorate)
        {
            plea.Status = PleaStatuses.Rejected;
            plea.DecidedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
        return TypedResults.Ok(tally with { Status = plea.Status, DecidedAt = plea.DecidedAt });
    }

    internal static async Task<Results<Ok<Page<VoteResponse>>, ValidationProblem, ProblemHttpResult>> ListVotesAsync(
        Guid id, Guid pleaId, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<VoteCursor>(cursor, VoteCursor.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        if (!await db.Pleas.AnyAsync(p => p.Id == pleaId && p.CommunityId == id, cancellationToken))
        {
            return Problems.NotFound("plea");
        }

        // In the order they were cast; a changed vote counts as cast again.
        var query = db.PleaVotes.AsNoTracking().Where(v => v.PleaId == pleaId);
        if (after is { } a)
        {
            query = query.Where(v => v.CreatedAt > a.CreatedAt || (v.CreatedAt == a.CreatedAt && v.UserId.CompareTo(a.UserId) > 0));
        }

        var votes = await query.OrderBy(v => v.CreatedAt).ThenBy(v => v.UserId).Take(take + 1)
            .Select(v => new VoteResponse(v.PleaId, v.UserId, v.InFavor, v.CreatedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.From(votes, take, v => new VoteCursor(v.CreatedAt, v.UserId).ToString()));
    }

    /// <summary>Where a page of votes ended: when the last vote was cast and by whom (ties broken by voter).</summary>
    private readonly record struct VoteCursor(DateTimeOffset CreatedAt, Guid UserId)
    {
        public override string ToString() => $"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}_{UserId:N}";

        public static bool TryParse(string text, out VoteCursor cursor)
        {
            cursor = default;
            var parts = text.Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var userId))
            {
                return false;
            }

            cursor = new VoteCursor(new DateTimeOffset(ticks, TimeSpan.Zero), userId);
            return true;
        }
    }

    private static async Task<PleaResponse> ToResponseAsync(SavingsDbContext db, Plea plea, CancellationToken cancellationToken)
    {
        // Only current members' votes count, so someone who left cannot swing the decision.
        var votes = await db.PleaVotes.Where(v => v.PleaId == plea.Id &&
                db.Members.Any(m => m.CommunityId == plea.CommunityId && m.UserId == v.UserId && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended)))
            .Select(v => v.InFavor).ToListAsync(cancellationToken);
        var electorate = await db.Members.CountAsync(m => m.CommunityId == plea.CommunityId && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
        return new PleaResponse(plea.Id, plea.CommunityId, plea.UserId, plea.Title, plea.Body, plea.Status,
            votes.Count(v => v), votes.Count(v => !v), electorate, plea.CreatedAt, plea.DecidedAt);
    }
}
