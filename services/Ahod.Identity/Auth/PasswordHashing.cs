using System.Security.Cryptography;
using Ahod.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher, plus a dummy hash so an unknown email costs the same time as a wrong password.</summary>
public sealed class PasswordHashing
{
    private static readonly User DummyUser = new() { Email = "", UserName = "", FirstName = "", LastName = "", PasswordHash = "" };

    private readonly PasswordHasher<User> _hasher;
    private readonly string _dummyHash;

    /// <param name="options">
    /// <c>Identity:PasswordHasher</c>; the default (100,000 PBKDF2 iterations) is what production runs. Only the test
    /// harness lowers it, so hundreds of test sign-ups do not spend the suite's CPU on key stretching.
    /// </param>
    public PasswordHashing(IOptions<PasswordHasherOptions> options)
    {
        _hasher = new PasswordHasher<User>(options);
        _dummyHash = _hasher.HashPassword(DummyUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
    }

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
