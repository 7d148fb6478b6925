using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Email;

/// <summary>
/// Sends mail with System.Net.Mail: SMTP in production, or the pickup-directory delivery method, which
/// writes each message as an .eml file (what development and the tests read).
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    public async Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var message = new MailMessage(settings.From, to, subject, textBody)
        {
            BodyEncoding = System.Text.Encoding.UTF8,
            // Readable .eml files: links stay on one unbroken line instead of quoted-printable soft breaks.
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
            client.Host = settings.Smtp.Host!; // checked by EmailOptions.Validate at start-up
            client.Port = settings.Smtp.Port;
            client.EnableSsl = settings.Smtp.EnableSsl;
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                client.Credentials = new NetworkCredential(settings.Smtp.UserName, settings.Smtp.Password);
            }
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
