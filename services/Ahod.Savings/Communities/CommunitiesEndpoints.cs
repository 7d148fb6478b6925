using System.Security.Claims;
using System.Security.Cryptography;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Communities;

public static class CommunitiesEndpoints
{
    public static RouteGroupBuilder MapCommunitiesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities").RequireAuthorization().WithTags("Communities");
        group.MapPost("/", CreateAsync)
            .WithName("CreateCommunity")
            .WithSummary("Create a savings community")
            .WithDescription("Name, bio, goal and contribution (Money, one currency), frequency (weekly, biweekly, monthly), payout method " +
                "(rotation, random, bidding), max members, private or public. The creator becomes its admin; the answer carries " +
                "the invite code.");
        group.MapGet("/", ListAsync)
            .WithName("ListCommunities")
            .WithSummary("My communities, or public ones")
            .WithDescription("`?discover=true` lists public communities to join. Cursor paged (`limit`, `cursor`).");
        group.MapGet("/{id:guid}", GetAsync)
            .RequireCommunity(CommunityRole.Visitor)
            .WithName("GetCommunity")
            .WithSummary("A community")
            .WithDescription("Details, members, the current cycle and progress toward the goal. A private community is visible to its " +
                "members only (404 otherwise); the invite code only to members.");
        return group;
    }

    internal static async Task<Results<Created<CommunityResponse>, ValidationProblem>> CreateAsync(
        CreateCommunityRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Money(request.Goal, "goal", allowZero: true);
        validation.Money(request.Contribution, "contribution");
        validation.Require(Frequencies.All.Contains(request.Frequency), "frequency", "Must be weekly, biweekly or monthly.");
        validation.Require(PayoutMethods.All.Contains(request.PayoutMethod), "payoutMethod", "Must be rotation, randomDraw or bidding.");
        validation.Require(!string.IsNullOrWhiteSpace(request.Name), "name", "Required.");
        if (request.Goal is not null && request.Contribution is not null && request.Goal.Currency != request.Contribution.Currency)
        {
            validation.Add("goal.currency", "The goal and the contribution must be in the same currency.");
        }
        else if (request.Goal is { } goal && request.Contribution is { } contribution && contribution.Amount > goal.Amount)
        {
            validation.Add("contribution.amount", $"Must not exceed the goal ({goal.Amount}).");
        }

        if (request.Rules?.LateFee is { } fee)
        {
            validation.Money(fee, "rules.lateFee", allowZero: true);
            validation.Require(fee.Currency == request.Contribution?.Currency, "rules.lateFee.currency", "Must be the contribution's currency.");
        }

        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var userId = user.GetUserId();
        var now = clock.GetUtcNow();
        var community = new Community
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name.Trim(),
            Bio = request.Bio?.Trim() ?? "",
            Currency = request.Contribution!.Currency,
            GoalAmount = request.Goal!.Amount,
            ContributionAmount = request.Contribution.Amount,
            Frequency = request.Frequency,
            PayoutMethod = request.PayoutMethod,
            MaxMembers = request.MaxMembers,
            IsPrivate = request.IsPrivate,
            InviteCode = NewInviteCode(),
            GraceDays = request.Rules?.GraceDays ?? 3,
            LateFeeAmount = request.Rules?.LateFee?.Amount ?? 0,
            StrikesUntilSuspension = request.Rules?.StrikesUntilSuspension ?? 3,
            AutoClose = request.Rules?.AutoClose ?? false,
            CreatedBy = userId,
            CreatedAt = now,
        };
        var admin = new Member
        {
            CommunityId = community.Id,
            UserId = userId,
            Role = Roles.Admin,
            Status = MemberStatuses.Active,
            RequestedAt = now,
            JoinedAt = now,
        };
        db.Communities.Add(community);
        db.Members.Add(admin);
        db.Cycles.Add(new Cycle
        {
            CommunityId = community.Id,
            Number = 1,
            Season = 1,
            OpensAt = now,
            DueAt = Frequencies.Next(community.Frequency, now),
            Status = CycleStatuses.Open,
        });
        db.AddIntegrationEvent(new CommunityCreated(
            community.Id, community.Name, userId, community.ContributionAmount, community.Currency,
            community.Frequency, community.MaxMembers, community.IsPrivate) { OccurredAt = now });
        db.AddIntegrationEvent(new CommunityMemberJoined(community.Id, userId) { OccurredAt = now });
        await db.SaveChangesAsync(cancellationToken);

        var response = await CommunityReader.ReadAsync(db, new CommunityAccess(community, admin), cancellationToken);
        return TypedResults.Created($"/api/communities/{community.Id}", response);
    }

    internal static async Task<Results<Ok<Page<CommunityListItem>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken,
        bool? discover = null, int? limit = null, string? cursor = null)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<Guid>(cursor, Guid.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var userId = user.GetUserId();
        var query = db.Communities.AsNoTracking();
        query = discover == true
            ? query.Where(c => !c.IsPrivate)
            : query.Where(c => db.Members.Any(m => m.CommunityId == c.Id && m.UserId == userId &&
                (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended || m.Status == MemberStatuses.Pending)));
        if (after is { } a)
        {
            // v7 ids sort by creation time: newest first, the cursor is the last id seen.
            query = query.Where(c => c.Id.CompareTo(a) < 0);
        }

        var rows = await query
            .OrderByDescending(c => c.Id)
            .Take(take + 1)
            .Select(c => new
            {
                Community = c,
                MemberCount = db.Members.Count(m => m.CommunityId == c.Id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended)),
                MyStatus = db.Members.Where(m => m.CommunityId == c.Id && m.UserId == userId).Select(m => m.Status).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var items = rows.Select(r => new CommunityListItem(
            r.Community.Id, r.Community.Name, r.Community.Bio,
            new Money(r.Community.GoalAmount, r.Community.Currency),
            new Money(r.Community.ContributionAmount, r.Community.Currency),
            r.Community.Frequency, r.Community.PayoutMethod, r.Community.MaxMembers, r.MemberCount,
            r.Community.IsPrivate, r.MyStatus, r.Community.CreatedAt)).ToList();
        return TypedResults.Ok(Paging.From(items, take, c => c.Id.ToString()));
    }

    internal static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> GetAsync(
        HttpContext http, SavingsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await CommunityReader.ReadAsync(db, http.GetCommunityAccess(), cancellationToken));

    /// <summary>128 random bits in Crockford-like base32 (no 0/1/I/O), grouped for reading aloud.</summary>
    internal static string NewInviteCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[bytes[i] & 31];
        }

        // 26 symbols × 5 bits = 130 bits of entropy.
        return string.Join('-', new string(chars).Chunk(5).Select(c => new string(c)));
    }
}
