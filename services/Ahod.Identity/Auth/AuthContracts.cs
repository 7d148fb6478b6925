using System.ComponentModel.DataAnnotations;
using Ahod.Identity.Users;

namespace Ahod.Identity.Auth;

public sealed record SignUpRequest(
    [Required, MaxLength(254), RegularExpression(AuthRules.EmailPattern, ErrorMessage = AuthRules.EmailMessage)] string Email,
    [Required, MinLength(AuthRules.PasswordMinLength, ErrorMessage = AuthRules.PasswordMessage), MaxLength(128)] string Password,
    [Required] string PasswordConfirmation,
    [Required, RegularExpression(AuthRules.UserNamePattern, ErrorMessage = AuthRules.UserNameMessage)] string UserName,
    [Required, MaxLength(100)] string FirstName,
    [Required, MaxLength(100)] string LastName);

public sealed record SignInRequest(
    [Required, MaxLength(254)] string Email,
    [Required, MaxLength(128)] string Password);

public sealed record VerifyEmailRequest(
    [Required, MaxLength(254)] string Email,
    [Required, MaxLength(128)] string Token);

public sealed record AuthResult(string AccessToken, int ExpiresIn, UserResponse User);

public static class AuthRules
{
    public const int PasswordMinLength = 12;

    // One @, something on each side, a dot in the domain, no spaces: what a person can actually receive mail at.
    public const string EmailPattern = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";
    public const string EmailMessage = "Enter a valid email address.";
    public const string PasswordMessage = "The password must be at least 12 characters.";
    public const string UserNamePattern = "^[a-z0-9_.-]{3,32}$";
    public const string UserNameMessage = "The user name must be 3-32 characters of a-z, 0-9, '_', '.' and '-'.";
}
