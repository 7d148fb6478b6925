using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Ahod.Identity.Gdpr;

/// <summary>
/// The contract every service implements for GDPR access (art. 15/20): <c>GET /internal/gdpr/users/{id}</c>
/// answers 200 with this body (the service's name and, in <c>data</c>, whatever JSON it holds about the user)
/// or 404 when it holds nothing. Identity calls it with the internal API key (the service maps the endpoint
/// with <c>RequireInternalApiKey()</c>) and also forwards the user's own bearer token, so a service can check
/// that <c>sub</c> equals <c>{id}</c>. The gateway never routes <c>/internal/*</c>.
/// </summary>
public sealed record GdprServiceExport(string Service, JsonElement? Data);

/// <summary>GET /api/users/me/export: one entry per service, Identity first.</summary>
public sealed record GdprExportResponse(Guid UserId, DateTimeOffset ExportedAt, IReadOnlyList<GdprServiceExport> Services);

/// <summary>DELETE /api/users/me: the password again, so a stolen access token alone cannot erase an account.</summary>
public sealed record EraseAccountRequest([Required, MaxLength(128)] string Password);

/// <summary>The <c>Gdpr</c> section.</summary>
public sealed class GdprOptions
{
    public const string SectionName = "Gdpr";

    /// <summary>Logical names of the services that hold user data (payments, savings, ...); each is asked for its export.</summary>
    public string[] Services { get; set; } = [];
}
