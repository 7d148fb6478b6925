using System.Security.Cryptography;
using Ahod.Identity.Data;
using Microsoft.AspNetCore.Identity;

namespace Ahod.Identity.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher, plus a dummy hash so an unknown email costs the same time as a wrong password.</summary>
public sealed class PasswordHashing
{
    private static readonly User DummyUser = new() { Email = "", UserName = "", FirstName = "", LastName = "", PasswordHash = "" };

    private readonly PasswordHasher<User> _hasher = new();
    private readonly string _dummyHash;

    public PasswordHashing() => _dummyHash = _hasher.HashPassword(DummyUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    /// <summary>Verifies, upgrading the stored hash in place when the hasher's parameters have grown since it was made.</summary>
    public bool Verify(User? user, string password)
    {
        if (user is null)
        {
            _hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
            return false;
        }

        switch (_hasher.VerifyHashedPassword(user, user.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return true;
            case PasswordVerificationResult.SuccessRehashNeeded:
                user.PasswordHash = _hasher.HashPassword(user, password);
                return true;
            default:
                return false;
        }
    }
}
