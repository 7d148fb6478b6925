using Ahod.Identity.Data;

namespace Ahod.Identity.Users;

/// <summary>The User shape of the contract. Email (and its verification state) only for the owner and admins.</summary>
public sealed record UserResponse(
    Guid Id,
    string? Email,
    bool? EmailVerified,
    string UserName,
    string FirstName,
    string LastName,
    string? PhotoUrl,
    IReadOnlyList<string> Roles);

public static class UserMapping
{
    public static UserResponse ToResponse(this User user, bool includePrivate) => new(
        user.Id,
        includePrivate ? user.Email : null,
        includePrivate ? user.EmailVerified : null,
        user.UserName,
        user.FirstName,
        user.LastName,
        user.PhotoUrl,
        user.Roles);
}
