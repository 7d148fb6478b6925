using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Identity.Auth;
using Ahod.Identity.Data;
using Ahod.Identity.Tokens;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Gdpr;

public static class GdprEndpoints
{
    public const string HttpClientName = "Ahod.Identity.Gdpr";
    public const string ServiceName = "identity";

    public static RouteGroupBuilder MapGdprEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users/me").WithTags("GDPR").RequireAuthorization().WithNoStore();

        group.MapGet("/export", ExportAsync).WithName("ExportMyData")
            .WithSummary("Export my data (GDPR art. 15/20)")
            .WithDescription("Everything Ahod holds about the signed-in user, gathered from every service, as one JSON document.");
        group.MapDelete("/", EraseAsync).WithName("EraseMyAccount")
            .WithSummary("Erase my account (GDPR art. 17)")
            .WithDescription("""
                Closes the account and has every service remove or anonymize the user's personal data; money history is kept
                anonymized. The body must repeat the password, `{ "password": "..." }`, so an access token alone cannot erase an
                account: a missing or empty one is a 400 with a `password` field error, a wrong one 403. Refused with 409 while
                a wallet still holds money (the problem's `blockers` name the wallets): withdraw or send it first.
                """)
            .Accepts<EraseAccountRequest>("application/json");

        return group;
    }

    public static async Task<Results<Ok<GdprExportResponse>, ProblemHttpResult>> ExportAsync(
        IdentityDbContext db,
        IHttpClientFactory httpClientFactory,
        IOptions<GdprOptions> options,
        IConfiguration configuration,
        TimeProvider time,
        HttpContext context,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var userId = context.User.GetUserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("The account no longer exists.");
        }

        var sessions = await db.RefreshTokenFamilies.AsNoTracking()
            .Where(f => f.UserId == userId)
            .OrderBy(f => f.CreatedAt)
            .Select(f => new { f.Id, f.CreatedAt, f.RevokedAt, f.RevokedReason })
            .ToListAsync(cancellationToken);
        var own = JsonSerializer.SerializeToElement(new
        {
            user.Id,
            user.Email,
            user.EmailVerified,
            user.UserName,
            user.FirstName,
            user.LastName,
            user.PhotoUrl,
            user.Roles,
            user.CreatedAt,
            user.UpdatedAt,
            Sessions = sessions,
        }, JsonSerializerOptions.Web);

        var logger = loggerFactory.CreateLogger(typeof(GdprEndpoints));
        var bearer = context.Request.Headers.Authorization.ToString();
        // A service with no endpoint in this environment (services:<name>:...) is not deployed here, so it holds nothing.
        var deployed = options.Value.Services.Where(service => IsDeployed(configuration, service)).ToArray();
        var others = await Task.WhenAll(deployed.Select(service =>
            FetchAsync(httpClientFactory, service, userId, bearer, logger, cancellationToken)));
        if (Array.FindIndex(others, o => o is null) is var failed and >= 0)
        {
            // An export that silently leaves a service out would tell the user we hold less than we do.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Export incomplete",
                detail: $"Could not collect your data from the {deployed[failed]} service; please try again later.");
        }

        return TypedResults.Ok(new GdprExportResponse(
            userId, time.GetUtcNow(), [new GdprServiceExport(ServiceName, own), .. others.Select(o => o!)]));
    }

    private static bool IsDeployed(IConfiguration configuration, string service) =>
        configuration.GetSection($"services:{service}").GetChildren().Any();

    private static async Task<GdprServiceExport?> FetchAsync(
        IHttpClientFactory factory, string service, Guid userId, string bearer, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            using var client = factory.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{service}/internal/gdpr/users/{userId}");
            if (AuthenticationHeaderValue.TryParse(bearer, out var authorization))
            {
                request.Headers.Authorization = authorization;
            }

            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new GdprServiceExport(service, null);
            }

            response.EnsureSuccessStatusCode();
            var export = await response.Content.ReadFromJsonAsync<GdprServiceExport>(JsonSerializerOptions.Web, cancellationToken);
            // The name is ours, not the callee's: a service cannot claim to be another one in the export.
            return new GdprServiceExport(service, export?.Data);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "GDPR export from {Service} failed for user {UserId}.", service, userId);
            return null;
        }
    }

    /// <summary>What <paramref name="service"/> says stops the erasure; none when it does not know the check (404); null when it cannot be asked.</summary>
    private static async Task<IReadOnlyList<GdprErasureBlocker>?> ErasureBlockersAsync(
        IHttpClientFactory factory, string service, Guid userId, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            using var client = factory.CreateClient(HttpClientName);
            using var response = await client.GetAsync($"http://{service}/internal/gdpr/users/{userId}/erasure", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
            }

            response.EnsureSuccessStatusCode();
            var check = await response.Content.ReadFromJsonAsync<GdprErasureCheck>(JsonSerializerOptions.Web, cancellationToken);
            // The service name is ours, as in the export.
            return check?.Blockers.Select(b => b with { Service = service }).ToList() ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "GDPR erasure check with {Service} failed for user {UserId}.", service, userId);
            return null;
        }
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> EraseAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] EraseAccountRequest request,
        IdentityDbContext db,
        PasswordHashing passwords,
        SignInRateLimiter rateLimiter,
        RefreshTokenService refreshTokens,
        IHttpClientFactory httpClientFactory,
        IOptions<GdprOptions> options,
        IConfiguration configuration,
        TimeProvider time,
        HttpContext context,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        // A missing body reaches the handler (EmptyBodyBehavior.Allow) as null, so it gets the same field error as an empty password
        // instead of framework text; the document still shows the body as the schema clients must send.
        if (string.IsNullOrEmpty(request?.Password))
        {
            return Problems.Validation("password", "Required: your password, to confirm the erasure.");
        }

        var userId = context.User.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("The account no longer exists.");
        }

        // The password check is a sign-in in disguise: the same limiter keeps it from being a guessing oracle.
        if (rateLimiter.TryAcquire(user.NormalizedEmail, context) is { } refused)
        {
            return refused;
        }

        if (!passwords.Verify(user, request.Password))
        {
            return Problems.Forbidden("The password is incorrect.");
        }

        // Erasure cuts the wallets loose from the person, so money still in them would be lost to the user: refuse until empty.
        var deployed = options.Value.Services.Where(service => IsDeployed(configuration, service)).ToArray();
        var logger = loggerFactory.CreateLogger(typeof(GdprEndpoints));
        var checks = await Task.WhenAll(deployed.Select(service => ErasureBlockersAsync(httpClientFactory, service, userId, logger, cancellationToken)));
        if (Array.FindIndex(checks, c => c is null) is var failed and >= 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Erasure not possible right now",
                detail: $"Could not check with the {deployed[failed]} service that you hold no money there; nothing was erased, please try again later.");
        }

        if (checks.SelectMany(c => c!).ToList() is { Count: > 0 } blockers)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Your account still holds money",
                detail: "Withdraw or send what is left before erasing your account; nothing was erased. "
                        + string.Join(" ", blockers.Select(b => b.Detail)),
                extensions: new Dictionary<string, object?> { ["blockers"] = blockers });
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await refreshTokens.RevokeAllAsync(userId, "erasure", cancellationToken);
        // Events about this user still in the outbox carry their email and names; consumers will get user.erased anyway.
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM outbox_messages WHERE payload->>'userId' = {userId.ToString()}", cancellationToken);
        db.Users.Remove(user); // refresh token families and tokens go with it (cascade)
        db.ErasedUsers.Add(new ErasedUser { Id = userId, ErasedAt = time.GetUtcNow() });
        db.AddIntegrationEvent(new UserErased(userId));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        RefreshCookie.Clear(context);
        return TypedResults.NoContent();
    }
}
