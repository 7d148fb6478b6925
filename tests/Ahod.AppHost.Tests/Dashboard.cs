using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ahod.AppHost.Tests;

/// <summary>The Aspire dashboard seen in Debian's chromium (Playwright cannot download its own browser here).</summary>
internal static partial class Dashboard
{
    public const string Chromium = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // As root there is no sandbox; the rest keeps chromium off a network this machine does not have.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>The login link the AppHost prints (a one-time token in the query).</summary>
    public static Uri LoginUrl(string console) =>
        new(LoginLine().Match(console) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No dashboard login link in:\n" + console));

    /// <summary>The gateway's address from the AppHost's "All resources healthy" line.</summary>
    public static Uri GatewayUrl(string console) =>
        new(GatewayLine().Match(console) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No gateway address in:\n" + console));

    /// <summary>Where screenshots go: kept beside the test results as artifacts.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppHostProcess.RepoRoot, ".ahod", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    [GeneratedRegex(@"Login to the dashboard at (\S+)")]
    private static partial Regex LoginLine();

    [GeneratedRegex(@"All resources healthy in [0-9.]+ s; .*?gateway (http://\S+?)(,|\s|$)")]
    private static partial Regex GatewayLine();
}
