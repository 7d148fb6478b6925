using System.ComponentModel.DataAnnotations;

namespace Ahod.Identity.Email;

/// <summary>The <c>Email</c> section: a pickup folder (development) or an SMTP server.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>Messages are written here as .eml files instead of being sent (the AppHost passes .ahod/mail).</summary>
    public string? PickupDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    [Required, EmailAddress]
    public string From { get; set; } = "no-reply@ahod.app";

    /// <summary>The web app's page that posts the token to /api/auth/verify-email.</summary>
    [Required, Url]
    public string VerificationUrl { get; set; } = "http://localhost:8080/verify-email";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PickupDirectory) && string.IsNullOrWhiteSpace(Smtp.Host))
        {
            yield return new ValidationResult(
                "Set Email:PickupDirectory (development) or Email:Smtp:Host; without either no verification email can be sent.",
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
