using System.ComponentModel.DataAnnotations;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The <c>Email</c> section every service that sends mail reads: a pickup folder (development: the AppHost's
/// <c>WithMail()</c> passes .ahod/mail) or an SMTP server (<c>Email:Smtp:Host</c>, ...). A service's own links (e.g.
/// Identity's <c>Email:VerificationUrl</c>) live beside these keys in its own options.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>Messages are written here as .eml files instead of being sent (the AppHost passes .ahod/mail).</summary>
    public string? PickupDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    [Required, EmailAddress]
    public string From { get; set; } = "no-reply@ahod.app";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PickupDirectory) || !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield return new ValidationResult(
                "Set Email:PickupDirectory (development) or Email:Smtp:Host; without either no email can be sent.",
                [nameof(PickupDirectory), "Smtp:Host"]);
        }
    }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
