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

/// <summary>
/// The contract for GDPR erasure (art. 17): before erasing, Identity asks every service
/// <c>GET /internal/gdpr/users/{id}/erasure</c> (internal API key) what would stop it, e.g. a wallet that still holds
/// money; 404 means the service has no such check. Any blocker refuses the erasure with 409.
/// </summary>
public sealed record GdprErasureCheck(IReadOnlyList<GdprErasureBlocker> Blockers);

/// <param name="Kind">What holds the user back, e.g. <c>wallet</c>.</param>
/// <param name="Id">The object's id, e.g. the wallet's.</param>
/// <param name="Detail">A sentence the user can act on.</param>
public sealed record GdprErasureBlocker(string? Service, string Kind, Guid Id, string Detail);

/// <summary>DELETE /api/users/me: the password again, so a stolen access token alone cannot erase an account.</summary>
public sealed record EraseAccountRequest([Required, MaxLength(128)] string Password);

/// <summary>The <c>Gdpr</c> section.</summary>
public sealed class GdprOptions
{
    public const string SectionName = "Gdpr";

    /// <summary>Logical names of the services that hold user data (payments, savings, ...); each is asked for its export.</summary>
    public string[] Services { get; set; } = [];
}
