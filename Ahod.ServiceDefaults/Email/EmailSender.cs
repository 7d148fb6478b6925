using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Sends mail with System.Net.Mail: SMTP in production, or the pickup-directory delivery method, which
/// writes each message as an .eml file (what development and the tests read).
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

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

public static class EmailSenderExtensions
{
    /// <summary>
    /// The one <see cref="EmailSender"/>, configured from the <c>Email</c> section. <paramref name="required"/>: start-up fails
    /// without a pickup folder or an SMTP host (a service that cannot work without mail); otherwise callers check
    /// <see cref="EmailSender.IsConfigured"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEmailSender(this IHostApplicationBuilder builder, bool required)
    {
        var options = builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName);
        if (required)
        {
            options.ValidateDataAnnotations().ValidateOnStart();
        }

        builder.Services.AddSingleton<EmailSender>();
        return builder;
    }
}
