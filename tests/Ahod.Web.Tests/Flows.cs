using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ahod.Web.Tests;

/// <summary>Steps the end-to-end tests share: sign up, verify by the emailed link, add money, find the wallet and the menu.</summary>
public static partial class Flows
{
    public static ILocator UsdWallet(IPage page) => page.GetByRole(AriaRole.Listitem, new() { Name = "USD wallet" });

    public static Regex Available(string amount) => new($@"Available: {Regex.Escape(amount)} USD");

    public static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public static ILocator Nav(IPage page, Regex name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { NameRegex = name });

    /// <summary>Ann and Bob, each in a phone-sized page of their own, signed up and verified by the emailed link.</summary>
    public static async Task<(IPage Ann, IPage Bob)> TwoVerifiedStudentsAsync(WebAppFixture fixture, string run)
    {
        var ann = await fixture.NewPhonePageAsync();
        var bob = await fixture.NewPhonePageAsync();
        await SignUpAsync(ann, $"ann_{run}", "Ann", $"ann.{run}@example.com");
        await SignUpAsync(bob, $"bob_{run}", "Bob", $"bob.{run}@example.com");
        await VerifyAsync(fixture, ann, $"ann.{run}@example.com");
        await VerifyAsync(fixture, bob, $"bob.{run}@example.com");
        return (ann, bob);
    }

    /// <summary>Adds money to the USD wallet with the sandbox card that settles at once.</summary>
    public static async Task DepositAsync(IPage page, string amount)
    {
        await Nav(page, "Wallet").ClickAsync();
        var add = page.GetByRole(AriaRole.Form, new() { Name = "Add money to USD wallet" });
        await add.GetByLabel("Amount to add (USD)").FillAsync(amount);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Status)).ToContainTextAsync("posted");
        await Expect(UsdWallet(page)).ToContainTextAsync(Available(amount));
    }

    public static async Task SignUpAsync(IPage page, string userName, string firstName, string email)
    {
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Ahod" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Sign up" });
        await form.GetByLabel("Email").FillAsync(email);
        await form.GetByLabel("User name").FillAsync(userName);
        await form.GetByLabel("First name").FillAsync(firstName);
        await form.GetByLabel("Last name").FillAsync("Student");
        // First a password too short: the error shows next to the field and nothing is sent.
        await form.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(form.GetByLabel("Password", new() { Exact = true })).ToHaveAccessibleDescriptionAsync("At least 12 characters.");
        await form.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse battery");
        await form.GetByLabel("Confirm password").FillAsync("correct horse battery");
        if (firstName == "Ann")
        {
            await page.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("02-sign-up"), FullPage = true });
        }

        await form.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Hi, {firstName}" })).ToBeVisibleAsync();
    }

    /// <summary>Opens the link from the verification email Identity wrote to its pickup folder, as the person would.</summary>
    public static async Task VerifyAsync(WebAppFixture fixture, IPage page, string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? query = null;
        while (query is null)
        {
            foreach (var file in Directory.Exists(fixture.MailDirectory) ? Directory.GetFiles(fixture.MailDirectory, "*.eml") : [])
            {
                var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
                if (text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase) && LinkPattern().Match(text) is { Success: true } link)
                {
                    query = link.Groups["query"].Value;
                }
            }

            if (query is null)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"no verification email for {email} in {fixture.MailDirectory}");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        await page.GotoAsync("/verify-email" + query);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is verified");
        await page.GotoAsync("/profile");
        await Expect(page.GetByText("(verified)")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/verify-email(?<query>\?email=[^&\s]+&token=[A-Za-z0-9_%-]+)")]
    private static partial Regex LinkPattern();
}
