using System.Net;

namespace Ahod.Identity.Tests;

/// <summary>Runs alone (after the parallel tests), so Identity's CPU time in the window is this test's requests' only.</summary>
[CollectionDefinition(nameof(SignInCostTests), DisableParallelization = true)]
public sealed class SignInCostCollection;

[Collection(nameof(SignInCostTests))]
public sealed class SignInCostTests(IdentityAppFixture fixture)
{
    private const int Attempts = 4; // under the per-account limit of 5 a minute

    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task SignIn_UnknownEmail_CostsIdentityAPasswordHashLikeAWrongPassword()
    {
        var session = await _api.SignUpAsync();

        // CPU time spent by the Identity process, not wall-clock time: a busy machine slows both paths but does not
        // change what each costs. A wrong password verifies one PBKDF2 hash (tens of ms of CPU); an unknown email must
        // verify a dummy one, or its answer comes several times cheaper and tells an attacker the account does not exist.
        var before = fixture.App.ProcessorTime("identity");
        for (var i = 0; i < Attempts; i++)
        {
            (await _api.SignInOutcomeAsync(session.User.Email!, "wrong password, long enough")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var afterWrongPasswords = fixture.App.ProcessorTime("identity");
        for (var i = 0; i < Attempts; i++)
        {
            (await _api.SignInOutcomeAsync($"nobody-{Guid.NewGuid():N}@ahod.test", session.Password)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var afterUnknownEmails = fixture.App.ProcessorTime("identity");
        var wrongPassword = afterWrongPasswords - before;
        var unknownEmail = afterUnknownEmails - afterWrongPasswords;
        TestContext.Current.SendDiagnosticMessage($"Identity CPU for {Attempts} sign-ins: wrong password {wrongPassword.TotalMilliseconds:F0} ms, unknown email {unknownEmail.TotalMilliseconds:F0} ms");
        unknownEmail.ShouldBeGreaterThan(wrongPassword / 3);
    }
}
