using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using Microsoft.Extensions.Options;

namespace Ahod.Savings.Membership;

/// <summary>The <c>Email</c> section: a pickup folder (development: the AppHost passes .ahod/mail) or an SMTP server.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public string? PickupDirectory { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    public string From { get; set; } = "no-reply@ahod.app";

    /// <summary>The web app's page that joins with ?community=...&amp;code=...</summary>
    public string JoinUrl { get; set; } = "http://localhost:8080/communities/join";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PickupDirectory) || !string.IsNullOrWhiteSpace(SmtpHost);
}

/// <summary>Sends the invite with System.Net.Mail: .eml files in a pickup folder in development, SMTP otherwise.</summary>
public sealed class InviteEmailSender(IOptions<EmailOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task SendAsync(string to, string communityName, Guid communityId, string inviteCode, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var link = $"{settings.JoinUrl}?community={communityId}&code={Uri.EscapeDataString(inviteCode)}";
        var body = $"""
            You are invited to join the savings community "{communityName}" on Ahod.

            Join here: {link}

            Or enter this invite code in the app: {inviteCode}
            """;
        using var message = new MailMessage(settings.From, to, $"Join {communityName} on Ahod", body)
        {
            BodyEncoding = System.Text.Encoding.UTF8,
            // Readable .eml files: the link stays on one line instead of quoted-printable soft breaks.
            BodyTransferEncoding = TransferEncoding.EightBit,
        };

        using var client = new SmtpClient();
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = Path.GetFullPath(settings.PickupDirectory);
        }
        else
        {
            client.Host = settings.SmtpHost!;
            client.Port = settings.SmtpPort;
            client.EnableSsl = true;
            if (!string.IsNullOrEmpty(settings.SmtpUserName))
            {
                client.Credentials = new NetworkCredential(settings.SmtpUserName, settings.SmtpPassword);
            }
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
