using Ahod.Messaging.Outbox;
using Ahod.Messaging.Contracts;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;

namespace Ahod.Savings.Membership;

/// <summary>
/// Who is in a community: one file per use case (<see cref="InviteMember"/>, <see cref="Join"/>, <see cref="Leave"/>,
/// <see cref="ApproveJoin"/>, <see cref="DeclineJoin"/>, <see cref="ChangeMember"/>, <see cref="UpdateMyMembership"/>,
/// <see cref="SetRotation"/>), the route group and what they share here. Access (404 for outsiders, 403 for the wrong
/// role) is the community filter's, declared on each route.
/// </summary>
public static class MembershipEndpoints
{
    public static RouteGroupBuilder MapMembershipEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{id:guid}").RequireAuthorization().WithTags("Membership");
        group.MapPost("/join", Join.HandleAsync)
            .WithName("JoinCommunity")
            .WithSummary("Join a community")
            .WithDescription("With the invite code for a private community; a request the admin approves for a public one.");
        group.MapPost("/leave", Leave.HandleAsync)
            .RequireCommunity(CommunityRole.Visitor, lockForUpdate: true)
            .WithName("LeaveCommunity")
            .WithSummary("Leave a community")
            .WithDescription("A member who has received a payout must first finish contributing.");

        var members = group.MapGroup("").RequireCommunity(CommunityRole.Member, "Only members can invite people or change their settings.");
        members.MapPost("/invites", InviteMember.HandleAsync)
            .WithName("InviteMember")
            .WithSummary("Invite someone by email")
            .WithDescription("Sends an email with the invite code.");
        members.MapPatch("/members/me", UpdateMyMembership.HandleAsync)
            .WithName("UpdateMyMembership")
            .WithSummary("Change my membership settings");

        // Admin only; approving and ordering lock the community row (two approvals cannot overfill it).
        group.MapPost("/members/{userId:guid}/approve", ApproveJoin.HandleAsync)
            .RequireCommunity(CommunityRole.Admin, lockForUpdate: true)
            .WithName("ApproveMember")
            .WithSummary("Approve a join request (admin)");
        group.MapPost("/members/{userId:guid}/decline", DeclineJoin.HandleAsync)
            .RequireCommunity(CommunityRole.Admin)
            .WithName("DeclineMember")
            .WithSummary("Decline a join request (admin)");
        group.MapPost("/members/{userId:guid}/promote", ChangeMember.PromoteAsync)
            .RequireCommunity(CommunityRole.Admin)
            .WithName("PromoteMember")
            .WithSummary("Make a member an admin (admin)");
        group.MapPost("/members/{userId:guid}/reinstate", ChangeMember.ReinstateAsync)
            .RequireCommunity(CommunityRole.Admin)
            .WithName("ReinstateMember")
            .WithSummary("Reinstate a suspended member (admin)");
        group.MapPut("/rotation", SetRotation.HandleAsync)
            .RequireCommunity(CommunityRole.Admin, lockForUpdate: true)
            .WithName("SetRotation")
            .WithSummary("Set the payout order (admin)")
            .WithDescription("For rotation communities: every active member once, in the order given.");
        return group;
    }

    internal static void Activate(SavingsDbContext db, Member member, DateTimeOffset now)
    {
        member.Status = MemberStatuses.Active;
        member.JoinedAt = now;
        db.AddIntegrationEvent(new CommunityMemberJoined(member.CommunityId, member.UserId) { OccurredAt = now });
    }

    internal static MembershipResponse ToResponse(Member m) => new(m.CommunityId, m.UserId, m.Role, m.Status, m.JoinedAt);
}
