using Ahod.Testing;

namespace Ahod.AppHost.Tests;

public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stop_IsGraceful_AndLeavesNoServerProcessBehind()
    {
        var app = await TestApp.StartAhodAsync(["postgres", "redis", "rabbitmq"], cancellationToken: Ct);
        var servers = Tree(ProcFs.WithCommandLine(app.StateDirectory));
        // postgres (+ its backends), redis-server, the broker's shell and beam.smp, epmd's port on its command line.
        servers.Count.ShouldBeGreaterThanOrEqualTo(6, string.Join(", ", servers));

        await app.DisposeAsync();

        (await ProcFs.WaitUntilGoneAsync(servers, TimeSpan.FromSeconds(15))).ShouldBeTrue($"still alive: {string.Join(",", servers.Where(ProcFs.IsAlive))}");
    }

    [Fact]
    public async Task AppHost_PrintsTheDashboardLinkAndHealthyLine_AndKill9LeavesNoOrphans()
    {
        var state = Path.Combine(Path.GetTempPath(), "ahod-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        File.SetUnixFileMode(state, (UnixFileMode)0b111_101_101);
        await using var host = AppHostProcess.Start("--DcpPublisher:RandomizePorts=true", $"--Ahod:StateDirectory={state}", "--Ahod:Ephemeral=true");
        try
        {
            (await host.WaitForOutputAsync("All resources healthy in", TestApp.StartTimeout, Ct)).ShouldBeTrue(host.Output);
            host.Output.ShouldContain("Login to the dashboard at http://127.0.0.1:");

            // Everything the AppHost started: DCP (it monitors the AppHost's pid) and its children, and the servers.
            var started = Tree([.. ProcFs.WithCommandLine($"--monitor {host.Pid}"), .. ProcFs.WithCommandLine(state)]);
            started.Count.ShouldBeGreaterThanOrEqualTo(10, string.Join(", ", started));

            host.Kill();

            (await ProcFs.WaitUntilGoneAsync(started, TimeSpan.FromSeconds(30))).ShouldBeTrue(
                $"still alive after kill -9 of the AppHost: {string.Join(", ", started.Where(ProcFs.IsAlive).Select(p => $"{p} {ProcFs.CommandLine(p)}"))}");
        }
        finally
        {
            try
            {
                Directory.Delete(state, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The processes and all their live descendants.</summary>
    private static List<int> Tree(IEnumerable<int> roots)
    {
        var all = new List<int>();
        var pending = new Queue<int>(roots);
        while (pending.TryDequeue(out var pid))
        {
            if (all.Contains(pid))
            {
                continue;
            }

            all.Add(pid);
            foreach (var child in ProcFs.ChildrenOf(pid))
            {
                pending.Enqueue(child);
            }
        }

        return all;
    }
}
