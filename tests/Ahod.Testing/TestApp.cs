using Ahod.AppHost;
using Ahod.AppHost.Model;
using Ahod.AppHost.Run;
using Microsoft.Extensions.Configuration;

namespace Ahod.Testing;

/// <summary>
/// Our Aspire.Hosting.Testing: builds the same app model the AppHost uses, on free ports with throwaway data,
/// starts it, waits until healthy, and hands out connection strings, HTTP clients and stop/start controls.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly string _stateDirectory;

    private TestApp(DistributedApplication app, string stateDirectory)
    {
        App = app;
        _stateDirectory = stateDirectory;
    }

    public DistributedApplication App { get; }

    /// <summary>Composes resources with <paramref name="compose"/> (e.g. <c>AhodApp.Compose</c> plus removals) and starts them.</summary>
    public static async Task<TestApp> StartAsync(
        Action<DistributedApplicationBuilder> compose,
        CancellationToken cancellationToken = default,
        IDictionary<string, string?>? configuration = null)
    {
        var builder = CreateBuilder(configuration, out var state);
        compose(builder);
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var logs = string.Join(Environment.NewLine, app.Resources.SelectMany(r => app.Logs.Tail(r.Name).TakeLast(30).Select(l => $"{r.Name} | {l}")));
            await app.DisposeAsync().ConfigureAwait(false);
            TryDelete(state);
            throw new InvalidOperationException($"The test app did not start: {e.Message}{Environment.NewLine}{logs}", e);
        }

        return new TestApp(app, state);
    }

    /// <summary>The whole Ahod app model, optionally only the named resources (and what they need, see KeepOnly).</summary>
    public static Task<TestApp> StartAhodAsync(CancellationToken cancellationToken = default, params string[] only) =>
        StartAsync(b =>
        {
            AhodApp.Compose(b);
            if (only.Length > 0)
            {
                b.KeepOnly(only);
            }
        }, cancellationToken);

    /// <summary>A builder in test mode: free ports, console quiet, fsync off, state in a fresh temp folder.</summary>
    public static DistributedApplicationBuilder CreateBuilder(IDictionary<string, string?>? configuration, out string stateDirectory)
    {
        stateDirectory = Path.Combine(Path.GetTempPath(), "ahod-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(stateDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL runs as its own OS user when we are root: it must be able to reach its data folder.
            var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                       UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(Path.GetDirectoryName(stateDirectory)!, open | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit);
            File.SetUnixFileMode(stateDirectory, open);
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build();
        return new DistributedApplicationBuilder(
            new AppHostOptions { StateDirectory = stateDirectory, UseFixedPorts = false, ConsoleOutput = false, Ephemeral = true },
            config);
    }

    public string GetConnectionString(string name) => App.GetConnectionString(name);

    public Uri GetEndpoint(string name) => App.GetEndpoint(name);

    /// <summary>An HttpClient whose base address is the project's endpoint.</summary>
    public HttpClient CreateHttpClient(string resourceName) =>
        new() { BaseAddress = App.GetEndpoint(resourceName), Timeout = TimeSpan.FromSeconds(30) };

    public Task StopResourceAsync(string name, CancellationToken cancellationToken = default) => App.StopResourceAsync(name);

    public Task StartResourceAsync(string name, CancellationToken cancellationToken = default) => App.StartResourceAsync(name, cancellationToken);

    public Task WaitForHealthyAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        App.WaitForHealthyAsync(name, timeout ?? TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>The resource's recent log lines (for assertion messages).</summary>
    public string Logs(string name) => string.Join(Environment.NewLine, App.Logs.Tail(name));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().ConfigureAwait(false);
        TryDelete(_stateDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
