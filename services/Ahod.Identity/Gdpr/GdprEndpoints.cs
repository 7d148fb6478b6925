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
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Gdpr;

public static class GdprEndpoints
{
    public const string HttpClientName = "Ahod.Identity.Gdpr";
    public const string ServiceName = "identity";

    public static RouteGroupBuilder MapGdprEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users/me").WithTags("GDPR").RequireAuthorization();

        group.MapGet("/export", ExportAsync).WithName("ExportMyData");
        group.MapDelete("/", EraseAsync).WithName("EraseMyAccount");

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

    public static async Task<Results<NoContent, ProblemHttpResult>> EraseAsync(
        [FromBody] EraseAccountRequest request,
        IdentityDbContext db,
        PasswordHashing passwords,
        SignInRateLimiter rateLimiter,
        RefreshTokenService refreshTokens,
        TimeProvider time,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var userId = context.User.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("The account no longer exists.");
        }

        // The password check is a sign-in in disguise: the same limiter keeps it from being a guessing oracle.
        if (rateLimiter.TryAcquire(user.NormalizedEmail, context) is { } retryAfter)
        {
            return SignInRateLimiter.Rejected(context, retryAfter);
        }

        if (!passwords.Verify(user, request.Password))
        {
            return Problems.Forbidden("The password is incorrect.");
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
