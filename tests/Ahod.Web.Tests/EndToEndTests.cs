using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ahod.Web.Tests;

/// <summary>
/// Two people use the built web app through the gateway on phone-sized screens: sign up, verify their email from the
/// link in the mail, add money (settled, slow, declined), send money, form a community, join by its invite link and
/// pay a contribution. Elements are found by role and label only; each page is kept as a screenshot.
/// </summary>
public sealed class EndToEndTests(WebAppFixture fixture)
{
    [Fact]
    public async Task TwoStudents_SignUpVerifyDepositSendFormACommunityAndContribute()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (ann, bob) = await Flows.TwoVerifiedStudentsAsync(fixture, run);

        // Ann adds money: at once, then slowly (pending, then posted), then with a card that is declined.
        await Flows.Nav(ann, "Wallet").ClickAsync();
        var add = ann.GetByRole(AriaRole.Form, new() { Name = "Add money to USD wallet" });
        await add.GetByLabel("Amount to add (USD)").FillAsync("100.00");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Status)).ToContainTextAsync("posted");
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("100.00"));

        await add.GetByLabel("Amount to add (USD)").FillAsync("5.00");
        await add.GetByLabel("Source").SelectOptionAsync("tok_sandbox_slow");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Status)).ToContainTextAsync("pending");
        await ann.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("03-deposit-pending"), FullPage = true });
        await Expect(add.GetByRole(AriaRole.Status)).ToContainTextAsync("posted", new() { Timeout = 60_000 });
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("105.00"));

        await add.GetByLabel("Source").SelectOptionAsync("tok_sandbox_decline");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Alert)).ToContainTextAsync("Deposit declined.");
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("105.00"));

        // A field error from the server's ProblemDetails shows next to its field: sending more than the wallet holds is
        // a rule (422), an amount of letters is caught before sending.
        var send = ann.GetByRole(AriaRole.Form, new() { Name = "Send money from USD wallet" });
        await send.GetByLabel("Recipient").FillAsync($"bob_{run}");
        await send.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Choose Bob") }).ClickAsync();
        await send.GetByLabel("Amount to send (USD)").FillAsync("ten");
        await send.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(send.GetByLabel("Amount to send (USD)")).ToHaveAttributeAsync("aria-invalid", "true");
        await send.GetByLabel("Amount to send (USD)").FillAsync("25.00");
        await send.GetByLabel("Note (optional)").FillAsync("Books");
        await send.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(send.GetByRole(AriaRole.Status)).ToContainTextAsync("posted");
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("80.00"));
        await Expect(ann.GetByRole(AriaRole.List, new() { Name = "Transactions" }).GetByRole(AriaRole.Listitem).First).ToContainTextAsync("-25.00 USD");
        await ann.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("04-wallet-after-send"), FullPage = true });

        await Flows.Nav(bob, "Wallet").ClickAsync();
        await Expect(Flows.UsdWallet(bob)).ToContainTextAsync(Flows.Available("25.00"));

        // Ann forms a community; Bob joins by its invite link and both pay their contribution.
        await Flows.Nav(ann, "Communities").ClickAsync();
        await ann.GetByRole(AriaRole.Tab, new() { Name = "Create" }).ClickAsync();
        var create = ann.GetByRole(AriaRole.Form, new() { Name = "Create a community" });
        await create.GetByLabel("Name").FillAsync($"Loan busters {run}");
        await create.GetByLabel("About").FillAsync("We pay off our loans together.");
        await create.GetByLabel("Goal").FillAsync("1000.00");
        await create.GetByLabel("Contribution per cycle").FillAsync("20.00");
        await create.GetByLabel("Maximum members").FillAsync("5");
        await create.GetByRole(AriaRole.Button, new() { Name = "Create community" }).ClickAsync();
        await Expect(ann.GetByRole(AriaRole.Heading, new() { Name = $"Loan busters {run}" })).ToBeVisibleAsync();
        var inviteLink = await ann.GetByLabel("Invite link").InputValueAsync();
        await ann.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("05-community"), FullPage = true });

        await bob.GotoAsync(new Uri(inviteLink).PathAndQuery);
        await bob.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Status)).ToContainTextAsync("You are in!");
        await bob.GetByRole(AriaRole.Link, new() { Name = "Open the community" }).ClickAsync();
        await bob.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay my contribution") }).ClickAsync();
        await Expect(bob.GetByText("You paid your contribution for this cycle.")).ToBeVisibleAsync();
        await bob.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("06-contribution-paid"), FullPage = true });

        await ann.ReloadAsync();
        await ann.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay my contribution") }).ClickAsync();
        await Expect(ann.GetByText("You paid your contribution for this cycle.")).ToBeVisibleAsync();
        await Flows.Nav(ann, "Wallet").ClickAsync();
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("60.00"));
        await Flows.Nav(bob, "Wallet").ClickAsync();
        await Expect(Flows.UsdWallet(bob)).ToContainTextAsync(Flows.Available("5.00"));

        // The session survives a reload through the httponly refresh cookie, and signing out ends it.
        await bob.ReloadAsync();
        await Expect(Flows.UsdWallet(bob)).ToContainTextAsync(Flows.Available("5.00"));
        await Flows.Nav(bob, "Profile").ClickAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Ahod" })).ToBeVisibleAsync();
        await bob.ReloadAsync();
        await Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Ahod" })).ToBeVisibleAsync();

        await ann.Context.CloseAsync();
        await bob.Context.CloseAsync();
    }

    /// <summary>
    /// The first page a person opens (sign-in): its JavaScript and CSS gzip-compressed as a server would send them, and
    /// the time to interactive in the test browser: navigation start until the sign-in form's button takes a click.
    /// Reported, not asserted (the machine is shared); the assertion is that the page is usable and its assets cache.
    /// </summary>
    [Fact]
    public async Task FirstPage_Loads_WithCachedAssets_ReportsGzipSizeAndTimeToInteractive()
    {
        var page = await fixture.NewPhonePageAsync();
        var assets = new List<IResponse>();
        page.Response += (_, r) =>
        {
            if (r.Url.Contains("/assets/", StringComparison.Ordinal))
            {
                assets.Add(r);
            }
        };

        var response = await page.GotoAsync("/signin");
        response!.Status.ShouldBe(200);
        (await response.HeaderValueAsync("cache-control")).ShouldBe("no-cache");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeEnabledAsync();
        var tti = await page.EvaluateAsync<double>("() => performance.now()");
        await page.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("01-sign-in"), FullPage = true });

        assets.ShouldNotBeEmpty();
        long raw = 0, gzip = 0;
        foreach (var asset in assets)
        {
            (await asset.HeaderValueAsync("cache-control")).ShouldBe("public, max-age=31536000, immutable");
            var body = await asset.BodyAsync();
            raw += body.Length;
            using var compressed = new MemoryStream();
            await using (var gz = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                await gz.WriteAsync(body, TestContext.Current.CancellationToken);
            }

            gzip += compressed.Length;
        }

        // A client route is answered by index.html, the API's unknown paths are not.
        var deep = await page.GotoAsync("/communities/join?community=x&code=y");
        deep!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Ahod" })).ToBeVisibleAsync();

        var report = $"first page (/signin): {assets.Count} assets, {raw / 1024.0:0.0} KiB, {gzip / 1024.0:0.0} KiB gzip; time to interactive {tti:0} ms (headless chromium, 390x844, shared 2-core machine)";
        TestContext.Current.SendDiagnosticMessage(report);
        var folder = Path.Combine(WebAppFixture.RepoRoot, ".ahod", "test-results");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "web-first-page.txt"), report + Environment.NewLine, TestContext.Current.CancellationToken);
        await page.Context.CloseAsync();
    }
}
