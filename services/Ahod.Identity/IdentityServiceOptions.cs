namespace Ahod.Identity;

/// <summary>The <c>Identity</c> configuration section.</summary>
public sealed class IdentityServiceOptions
{
    public const string SectionName = "Identity";

    /// <summary>Whoever signs up with one of these emails becomes admin: how the first admin exists.</summary>
    public string[] AdminEmails { get; set; } = [];

    public bool IsAdminEmail(string email) => AdminEmails.Any(a => string.Equals(a.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}
