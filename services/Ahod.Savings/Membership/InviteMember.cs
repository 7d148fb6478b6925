using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ahod.Savings.Membership;

/// <summary>A member invites someone by email; the email carries the community's invite code.</summary>
public static class InviteMember
{
    internal static async Task<Results<Accepted<InviteResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, InviteRequest request, HttpContext http, SavingsDbContext db, InviteEmailSender email, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var access = http.GetCommunityAccess();
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
            InvitedBy = http.User.GetUserId(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync(cancellationToken);
        await email.SendAsync(invite.Email, access.Community.Name, id, access.Community.InviteCode, cancellationToken);
        return TypedResults.Accepted($"/api/communities/{id}", new InviteResponse(invite.Id, invite.Email, invite.CreatedAt));
    }
}
