namespace Ahod.Identity.Data;

/// <summary>
/// One sign-in session: every refresh token rotated from the same sign-in shares the family, so reuse of
/// any old token can revoke all of them at once. Row of <c>refresh_token_families</c>.
/// </summary>
public sealed class RefreshTokenFamily
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>signout, reuse, erasure.</summary>
    public string? RevokedReason { get; set; }

    public List<RefreshToken> Tokens { get; set; } = [];
}

/// <summary>An opaque refresh token, stored only as its SHA-256. Row of <c>refresh_tokens</c>.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid FamilyId { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was exchanged for its successor; a second use after this is reuse.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
