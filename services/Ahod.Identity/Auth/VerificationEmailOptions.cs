using System.ComponentModel.DataAnnotations;

namespace Ahod.Identity.Auth;

/// <summary>Identity's key in the shared <c>Email</c> section (the sender's keys are ServiceDefaults' <c>EmailOptions</c>).</summary>
public sealed class VerificationEmailOptions
{
    /// <summary>The web app's page that posts the token to /api/auth/verify-email.</summary>
    [Required, Url]
    public string VerificationUrl { get; set; } = "http://localhost:8080/verify-email";
}
