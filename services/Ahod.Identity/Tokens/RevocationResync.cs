using Ahod.Identity.Data;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Ahod.Identity.Tokens;

/// <summary>
/// A revocation made while Redis was unreachable lives in PostgreSQL only, so its access tokens would live to their
/// expiry. Whenever the connection to Redis is (re)established, the families revoked within the last access-token
/// lifetime are published again, and those tokens end then.
/// </summary>
internal sealed class RevocationResync(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    SessionRevocation revocation,
    TimeProvider time,
    ILogger<RevocationResync> logger) : IHostedService
{
    /// <summary>Tokens older than this are expired anyway (lifetime plus the validators' clock skew).</summary>
    private static readonly TimeSpan Window = AccessTokenIssuer.Lifetime + TimeSpan.FromMinutes(1);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnRestored;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            _ = ResyncAsync();
        }
    }

    private async Task ResyncAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            var since = time.GetUtcNow() - Window;
            var revoked = await db.RefreshTokenFamilies.AsNoTracking()
                .Where(f => f.RevokedAt >= since)
                .Select(f => new { f.Id, f.RevokedReason })
                .ToListAsync();
            foreach (var group in revoked.GroupBy(f => f.RevokedReason ?? "revoked"))
            {
                await revocation.RevokeAsync(group.Select(f => f.Id).ToList(), group.Key, RefreshTokenService.Lifetime);
            }

            logger.LogInformation("Redis reconnected: republished {Count} session revocation(s) of the last {Minutes} minutes.", revoked.Count, Window.TotalMinutes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not republish recent session revocations after Redis reconnected.");
        }
    }
}
