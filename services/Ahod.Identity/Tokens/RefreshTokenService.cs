using System.Security.Cryptography;
using Ahod.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Ahod.ServiceDefaults;

namespace Ahod.Identity.Tokens;

/// <summary>
/// Opaque 256-bit refresh tokens, stored as SHA-256, rotated on every use. A token used twice means it was
/// stolen (or the legitimate client lost a race with the thief): the whole family is revoked, including the
/// newest token. One exception (<see cref="IsLostResponse"/>): the token rotated moments ago whose successor nobody has
/// used yet. That is a client that never received its new cookie, because a page navigation aborted the request or the
/// connection dropped; it gets one more successor, which replaces the one it never received, and the session lives on.
/// The price: a thief who replays a stolen token within those seconds holds the family's one live token until the owner
/// refreshes (with the replaced successor: reuse, so the family ends) or the thief replays again.
/// PostgreSQL is the source of truth; Redis holds revoked family ids (<see cref="SessionRevocation"/>), which
/// ends the family's access tokens at the gateway and in every service at once and is a fast early check here.
/// </summary>
public sealed class RefreshTokenService(IdentityDbContext db, SessionRevocation revocation, TimeProvider time, ILogger<RefreshTokenService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>How long after its rotation a token whose successor is still unused may be presented again.</summary>
    public static readonly TimeSpan LostResponseGrace = TimeSpan.FromSeconds(30);

    public sealed record Issued(string Token, DateTimeOffset ExpiresAt, Guid FamilyId);

    public enum Outcome { Rotated, Invalid, Reused }

    public sealed record RotationResult(Outcome Outcome, Issued? Issued = null, Guid UserId = default);

    /// <summary>Starts a new family (a sign-in or sign-up); the caller saves the context.</summary>
    public Issued StartFamily(Guid userId)
    {
        var family = new RefreshTokenFamily { UserId = userId, CreatedAt = time.GetUtcNow() };
        db.RefreshTokenFamilies.Add(family);
        return AddToken(family.Id);
    }

    public async Task<RotationResult> RotateAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
        {
            return new RotationResult(Outcome.Invalid);
        }

        if (await revocation.IsRevokedAsync(token.FamilyId))
        {
            return new RotationResult(Outcome.Invalid);
        }

        var family = await db.RefreshTokenFamilies.AsNoTracking().SingleAsync(f => f.Id == token.FamilyId, cancellationToken);
        var now = time.GetUtcNow();
        if (family.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return new RotationResult(Outcome.Invalid);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The conditional update is the race guard: of two concurrent uses of one token exactly one wins.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            var usedAt = await db.RefreshTokens.Where(t => t.Id == token.Id).Select(t => t.UsedAt).SingleAsync(cancellationToken);
            var successors = await db.RefreshTokens
                .Where(t => t.FamilyId == family.Id && t.CreatedAt >= usedAt)
                .GroupBy(_ => 1)
                .Select(g => new { Issued = g.Count(), Used = g.Count(t => t.UsedAt != null) })
                .SingleOrDefaultAsync(cancellationToken);
            if (IsLostResponse(usedAt!.Value, successors?.Issued ?? 0, successors?.Used > 0, now))
            {
                logger.LogInformation("Refresh token of family {FamilyId} presented again {Seconds:F1} s after its rotation, successor unused: issuing another successor.",
                    family.Id, (now - usedAt.Value).TotalSeconds);
                // The successor the client never received is retired, so the family keeps one live token: if this was a
                // thief after all, the owner's next refresh (with that successor) is reuse and ends the family.
                await db.RefreshTokens
                    .Where(t => t.FamilyId == family.Id && t.CreatedAt >= usedAt && t.UsedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
                var again = AddToken(family.Id);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new RotationResult(Outcome.Rotated, again, family.UserId);
            }

            await transaction.RollbackAsync(cancellationToken);
            logger.LogWarning("Refresh token reuse in family {FamilyId} of user {UserId}; revoking the family.", family.Id, family.UserId);
            await RevokeFamiliesAsync([family.Id], "reuse", cancellationToken);
            return new RotationResult(Outcome.Reused, UserId: family.UserId);
        }

        var issued = AddToken(family.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RotationResult(Outcome.Rotated, issued, family.UserId);
    }

    /// <summary>
    /// A second use of a rotated token is a lost response, not theft, when it comes within <see cref="LostResponseGrace"/>
    /// of the rotation, no successor has been used since (whoever holds one has not shown up), and it has not been
    /// forgiven before (one successor from the rotation, at most one more from the grace). Anything else is reuse.
    /// </summary>
    public static bool IsLostResponse(DateTimeOffset rotatedAt, int successorsIssued, bool successorUsed, DateTimeOffset now) =>
        !successorUsed && successorsIssued < 2 && now - rotatedAt <= LostResponseGrace;

    /// <summary>Sign-out: revokes the family of the presented token, whatever state it is in.</summary>
    public async Task RevokeFamilyOfAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (familyId is { } id)
        {
            await RevokeFamiliesAsync([id], "signout", cancellationToken);
        }
    }

    /// <summary>Revokes every live family of the user (erasure); returns their ids.</summary>
    public async Task<IReadOnlyList<Guid>> RevokeAllAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        var ids = await db.RefreshTokenFamilies.Where(f => f.UserId == userId && f.RevokedAt == null).Select(f => f.Id).ToListAsync(cancellationToken);
        await RevokeFamiliesAsync(ids, reason, cancellationToken);
        return ids;
    }

    private async Task RevokeFamiliesAsync(IReadOnlyList<Guid> familyIds, string reason, CancellationToken cancellationToken)
    {
        if (familyIds.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await db.RefreshTokenFamilies
            .Where(f => familyIds.Contains(f.Id) && f.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevokedReason, reason), cancellationToken);
        // Kept as long as any token of the family could still be presented; a failure is logged (PostgreSQL holds it).
        await revocation.RevokeAsync(familyIds, reason, Lifetime);
    }

    private Issued AddToken(Guid familyId)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expiresAt = now + Lifetime;
        db.RefreshTokens.Add(new RefreshToken { FamilyId = familyId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = expiresAt });
        return new Issued(token, expiresAt, familyId);
    }

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    public static string Base64UrlEncode(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
}
