using System.ComponentModel.DataAnnotations;
using Ahod.Identity.Auth;

namespace Ahod.Identity.Users;

/// <summary>PATCH semantics: a null field is left as it is; an empty photoUrl removes the photo.</summary>
public sealed record UpdateUserRequest(
    [RegularExpression(AuthRules.UserNamePattern, ErrorMessage = AuthRules.UserNameMessage)] string? UserName,
    [MinLength(1), MaxLength(100)] string? FirstName,
    [MinLength(1), MaxLength(100)] string? LastName,
    [MaxLength(2048)] string? PhotoUrl);

public sealed record GrantRoleRequest([Required] string Role);
