using Microsoft.Extensions.Options;

namespace Ahod.Savings.Membership;

/// <summary>Savings' key in the shared <c>Email</c> section (the sender's keys are ServiceDefaults' <c>EmailOptions</c>).</summary>
public sealed class InviteEmailOptions
{
    /// <summary>The web app's page that joins with ?community=...&amp;code=...</summary>
    public string JoinUrl { get; set; } = "http://localhost:8080/communities/join";
}

/// <summary>Writes the invite and sends it with the shared <see cref="EmailSender"/>.</summary>
public sealed class InviteEmailSender(EmailSender sender, IOptions<InviteEmailOptions> options)
{
    public bool IsConfigured => sender.IsConfigured;

    public async Task SendAsync(string to, string communityName, Guid communityId, string inviteCode, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var link = $"{settings.JoinUrl}?community={communityId}&code={Uri.EscapeDataString(inviteCode)}";
        var body = $"""
            You are invited to join the savings community "{communityName}" on Ahod.

            Join here: {link}

            Or enter this invite code in the app: {inviteCode}
            """;
        await sender.SendAsync(to, $"Join {communityName} on Ahod", body, cancellationToken);
    }
}
