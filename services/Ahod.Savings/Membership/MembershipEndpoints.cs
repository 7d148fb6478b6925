using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.Savings.Payouts;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

public static class MembershipEndpoints
{
    public static RouteGroupBuilder MapMembershipEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{id:guid}").RequireAuthorization().WithTags("Membership");
        group.MapPost("/invites", InviteAsync)
            .WithName("InviteMember")
            .WithSummary("Invite someone by email (admin)")
            .WithDescription("Sends an email with the invite code.");
        group.MapPost("/join", JoinAsync)
            .WithName("JoinCommunity")
            .WithSummary("Join a community")
            .WithDescription("With the invite code for a private community; a request the admin approves for a public one.");
        group.MapPost("/leave", LeaveAsync)
            .WithName("LeaveCommunity")
            .WithSummary("Leave a community")
            .WithDescription("A member who has received a payout must first finish contributing.");
        group.MapPost("/members/{userId:guid}/approve", ApproveAsync)
            .WithName("ApproveMember")
            .WithSummary("Approve a join request (admin)");
        group.MapPost("/members/{userId:guid}/decline", DeclineAsync)
            .WithName("DeclineMember")
            .WithSummary("Decline a join request (admin)");
        group.MapPost("/members/{userId:guid}/promote", PromoteAsync)
            .WithName("PromoteMember")
            .WithSummary("Make a member an admin (admin)");
        group.MapPost("/members/{userId:guid}/reinstate", ReinstateAsync)
            .WithName("ReinstateMember")
            .WithSummary("Reinstate a suspended member (admin)");
        group.MapPatch("/members/me", UpdateMeAsync)
            .WithName("UpdateMyMembership")
            .WithSummary("Change my membership settings");
        group.MapPut("/rotation", SetRotationAsync)
            .WithName("SetRotation")
            .WithSummary("Set the payout order (admin)")
            .WithDescription("For rotation communities: every active member once, in the order given.");
        return group;
    }

    internal static async Task<Results<Accepted<InviteResponse>, ProblemHttpResult>> InviteAsync(
        Guid id, InviteRequest request, ClaimsPrincipal user, SavingsDbContext db, InviteEmailSender email, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var access = await CommunityAccess.LoadAsync(db, id, userId, cancellationToken);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsMember)
        {
            return Problems.Forbidden("Only members can invite people.");
        }

        if (!email.IsConfigured)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Email is not configured.",
                detail: "Set Email:PickupDirectory or Email:Smtp:Host; share the invite code instead.");
        }

        var invite = new Invite
        {
            Id = Guid.CreateVersion7(),
            CommunityId = id,
            Email = request.Email.Trim(),
            InvitedBy = userId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync(cancellationToken);
        await email.SendAsync(invite.Email, access.Community.Name, id, access.Community.InviteCode, cancellationToken);
        return TypedResults.Accepted($"/api/communities/{id}", new InviteResponse(invite.Id, invite.Email, invite.CreatedAt));
    }

    internal static async Task<Results<Ok<MembershipResponse>, Created<MembershipResponse>, Accepted<MembershipResponse>, ProblemHttpResult>> JoinAsync(
        Guid id, JoinRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        var codeMatches = community is not null && !string.IsNullOrEmpty(request.InviteCode) && CodesMatch(request.InviteCode, community.InviteCode);
        if (community is null || (community.IsPrivate && !codeMatches))
        {
            // A wrong code and a missing community look the same: the code cannot be probed for existence.
            return Problems.NotFound();
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is { Status: MemberStatuses.Active or MemberStatuses.Suspended })
        {
            return TypedResults.Ok(ToResponse(member));
        }

        if (member is { Status: MemberStatuses.Pending } && !codeMatches)
        {
            return TypedResults.Accepted($"/api/communities/{id}", ToResponse(member));
        }

        var activeCount = await db.Members.CountAsync(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
        if (activeCount >= community.MaxMembers)
        {
            return Problems.Rule("The community is full.", $"It has reached its maximum of {community.MaxMembers} members.");
        }

        var now = clock.GetUtcNow();
        if (member is null)
        {
            member = new Member { CommunityId = id, UserId = userId, Role = Roles.Member, Status = MemberStatuses.Pending, RequestedAt = now };
            db.Members.Add(member);
        }
        else
        {
            // Re-joining after leaving: back of the queue (a new join sequence), no carried-over role.
            await db.Members.Where(m => m.CommunityId == id && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            db.Entry(member).State = EntityState.Detached;
            member = new Member { CommunityId = id, UserId = userId, Role = Roles.Member, Status = MemberStatuses.Pending, RequestedAt = now };
            db.Members.Add(member);
        }

        if (codeMatches)
        {
            Activate(db, member, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return member.Status == MemberStatuses.Active
            ? TypedResults.Created($"/api/communities/{id}", ToResponse(member))
            : TypedResults.Accepted($"/api/communities/{id}", ToResponse(member));
    }

    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ApproveAsync(
        Guid id, Guid userId, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var access = await CommunityAccess.LoadAsync(db, id, user.GetUserId(), cancellationToken, forUpdate: true);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsAdmin)
        {
            return Problems.AdminOnly();
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is null || member.Status is MemberStatuses.Left or MemberStatuses.Declined)
        {
            return Problems.NotFound("join request");
        }

        if (member.Status == MemberStatuses.Pending)
        {
            var activeCount = await db.Members.CountAsync(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
            if (activeCount >= access.Community.MaxMembers)
            {
                return Problems.Rule("The community is full.", $"It has reached its maximum of {access.Community.MaxMembers} members.");
            }

            Activate(db, member, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member));
    }

    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> DeclineAsync(
        Guid id, Guid userId, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken)
    {
        var access = await CommunityAccess.LoadAsync(db, id, user.GetUserId(), cancellationToken);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsAdmin)
        {
            return Problems.AdminOnly();
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId && m.Status == MemberStatuses.Pending, cancellationToken);
        if (member is null)
        {
            return Problems.NotFound("join request");
        }

        member.Status = MemberStatuses.Declined;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member));
    }

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> PromoteAsync(
        Guid id, Guid userId, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken) =>
        ChangeMemberAsync(id, userId, user, db, member => member.Role = Roles.Admin, cancellationToken);

    // Strikes stay on record; reinstating only lets the member receive again.
    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ReinstateAsync(
        Guid id, Guid userId, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken) =>
        ChangeMemberAsync(id, userId, user, db, member => member.Status = MemberStatuses.Active, cancellationToken);

    /// <summary>An admin's change to a current (active or suspended) member: 404 for outsiders, 403 for non-admins.</summary>
    private static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ChangeMemberAsync(
        Guid id, Guid userId, ClaimsPrincipal user, SavingsDbContext db, Action<Member> change, CancellationToken cancellationToken)
    {
        var access = await CommunityAccess.LoadAsync(db, id, user.GetUserId(), cancellationToken);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsAdmin)
        {
            return Problems.AdminOnly();
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is not { Status: MemberStatuses.Active or MemberStatuses.Suspended })
        {
            return Problems.NotFound("member");
        }

        change(member);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member));
    }

    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> UpdateMeAsync(
        Guid id, UpdateMyMembershipRequest request, ClaimsPrincipal user, SavingsDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var access = await CommunityAccess.LoadAsync(db, id, userId, cancellationToken);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsMember)
        {
            return Problems.Forbidden("Only members have payout settings.");
        }

        if (request.PayoutLoanId is { } loanId &&
            !await db.Loans.AnyAsync(l => l.Id == loanId && l.UserId == userId && l.Currency == access.Community.Currency, cancellationToken))
        {
            return Problems.Rule("Unknown loan.", "Route payouts only to one of your own loans in the community's currency.");
        }

        var member = access.Membership!;
        db.Attach(member);
        member.PayoutLoanId = request.PayoutLoanId;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member));
    }

    /// <summary>
    /// The leaving rules: someone who received this season's pot but still owes contributions for it cannot walk away
    /// with the others' money, and the last admin must hand over first.
    /// </summary>
    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> LeaveAsync(
        Guid id, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var access = await CommunityAccess.LoadAsync(db, id, userId, cancellationToken, forUpdate: true);
        if (access is null)
        {
            return Problems.NotFound();
        }

        var member = access.Membership;
        if (member is null || member.Status is MemberStatuses.Left or MemberStatuses.Declined)
        {
            return Problems.Rule("Not a member.", "You are not a member of this community.");
        }

        var community = access.Community;
        if (member.Status != MemberStatuses.Pending)
        {
            var received = await RecipientSelection.ReceivedInSeasonAsync(db, id, community.Season, cancellationToken);
            if (received.Contains(userId))
            {
                var stillToReceive = (await RecipientSelection.EligibleAsync(db, community, cancellationToken)).Count;
                var unpaid = await db.Cycles.CountAsync(c => c.CommunityId == id && c.Season == community.Season &&
                    !db.Contributions.Any(x => x.CommunityId == id && x.CycleNumber == c.Number && x.MemberUserId == userId), cancellationToken);
                if (stillToReceive > 0 || unpaid > 0)
                {
                    return Problems.Rule(
                        "You cannot leave yet: you have received a payout and still owe contributions.",
                        $"You received the pot in season {community.Season}. Until every member has received theirs " +
                        $"({stillToReceive} still waiting) and you have paid every cycle of the season ({unpaid} unpaid), leaving would take the others' money.");
                }
            }

            if (member.Role == Roles.Admin)
            {
                var otherAdmins = await db.Members.CountAsync(m => m.CommunityId == id && m.UserId != userId && m.Role == Roles.Admin &&
                    (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
                var others = await db.Members.CountAsync(m => m.CommunityId == id && m.UserId != userId &&
                    (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
                if (otherAdmins == 0 && others > 0)
                {
                    return Problems.Rule("Hand over first: you are the last admin.", "Promote another member to admin, then leave.");
                }
            }
        }

        var wasMember = member.Status != MemberStatuses.Pending;
        db.Attach(member);
        member.Status = MemberStatuses.Left;
        member.LeftAt = clock.GetUtcNow();
        member.Role = Roles.Member;
        member.RotationPosition = null;
        if (wasMember)
        {
            db.AddIntegrationEvent(new CommunityMemberLeft(id, userId) { OccurredAt = member.LeftAt.Value });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member));
    }

    /// <summary>
    /// Admin sets the rotation. Allowed before the season's first payout; afterwards only on the strength of a plea
    /// the members passed (which is then marked applied), so the order cannot be changed behind their backs.
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<Guid>>, ValidationProblem, ProblemHttpResult>> SetRotationAsync(
        Guid id, RotationRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var access = await CommunityAccess.LoadAsync(db, id, user.GetUserId(), cancellationToken, forUpdate: true);
        if (access is null)
        {
            return Problems.NotFound();
        }

        if (!access.IsAdmin)
        {
            return Problems.AdminOnly();
        }

        var members = await db.Members
            .Where(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended))
            .ToListAsync(cancellationToken);
        if (request.UserIds.Distinct().Count() != request.UserIds.Count ||
            !members.Select(m => m.UserId).ToHashSet().SetEquals(request.UserIds))
        {
            return Problems.Invalid("userIds", "List every current member exactly once, in the order they should receive.");
        }

        var seasonStarted = await db.Cycles.AnyAsync(c => c.CommunityId == id && c.Season == access.Community.Season && c.Status != CycleStatuses.Open, cancellationToken);
        if (seasonStarted)
        {
            var plea = await db.Pleas.Where(p => p.CommunityId == id && p.Status == PleaStatuses.Passed).OrderBy(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (plea is null)
            {
                return Problems.Rule("The season has started.",
                    "The rotation can change mid-season only after the members pass a plea asking for it.");
            }

            plea.Status = PleaStatuses.Applied;
            plea.DecidedAt = clock.GetUtcNow();
        }

        for (var i = 0; i < request.UserIds.Count; i++)
        {
            members.Single(m => m.UserId == request.UserIds[i]).RotationPosition = i + 1;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(request.UserIds);
    }

    private static void Activate(SavingsDbContext db, Member member, DateTimeOffset now)
    {
        member.Status = MemberStatuses.Active;
        member.JoinedAt = now;
        db.AddIntegrationEvent(new CommunityMemberJoined(member.CommunityId, member.UserId) { OccurredAt = now });
    }

    private static bool CodesMatch(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim().ToUpperInvariant())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static MembershipResponse ToResponse(Member m) => new(m.CommunityId, m.UserId, m.Role, m.Status, m.JoinedAt);
}
