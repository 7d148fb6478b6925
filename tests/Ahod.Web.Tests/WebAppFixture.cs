using System.Diagnostics;
using Ahod.Testing;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Ahod.Web.Tests.WebAppFixture))]

namespace Ahod.Web.Tests;

/// <summary>
/// The web app as production serves it: <c>npm run build</c> in web/, then the whole app model (Identity, Payments,
/// Savings, the gateway serving web/dist at /) on random ports, and Debian's chromium through Playwright.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private TestApp? _app;
    private IPlaywright? _playwright;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public IBrowser Browser { get; private set; } = null!;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string WebDirectory => Path.Combine(RepoRoot, "web");

    public Uri Gateway => App.GetEndpoint("gateway");

    /// <summary>Identity's verification emails (Email:PickupDirectory under the state folder).</summary>
    public string MailDirectory => Path.Combine(App.StateDirectory, "mail");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!Directory.Exists(Path.Combine(WebDirectory, "node_modules")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ct);
        }

        await RunAsync("npm", ["run", "build"], ct);
        _app = await TestApp.StartAhodAsync([], cancellationToken: ct);
        _playwright = await Playwright.CreateAsync();
        // A busy shared machine (four agents' builds and tests on two cores): steps wait up to 60 s (a budget, not a
        // speed claim; on a quiet machine each takes well under a second).
        Assertions.SetDefaultExpectTimeout(60_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // As root there is no sandbox; the rest keeps chromium off a network this machine does not have.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A phone-sized page (390 × 844) in its own context: its own cookies, so its own session.</summary>
    public async Task<IPage> NewPhonePageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 1,
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // What the browser complains about lands in the test's output, to say why a step did not happen.
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                TestContext.Current.SendDiagnosticMessage($"browser {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => TestContext.Current.SendDiagnosticMessage($"page error: {e}");
        return page;
    }

    /// <summary>Screenshots are kept with the test results as artifacts.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(RepoRoot, ".ahod", "test-results", "screenshots", "web");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    private static async Task RunAsync(string file, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = WebDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ahod.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ahod.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
