using System.Diagnostics;
using System.Net.Sockets;
using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;
using Ahod.AppHost.Run;
using Ahod.Testing;
using Npgsql;

namespace Ahod.AppHost.Tests;

public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitFor_ProjectStartsOnlyOnceItsDependencyIsHealthy()
    {
        var builder = TestApp.CreateBuilder(null, out _);
        var postgres = builder.AddPostgres("postgres");
        builder.AddProbe("probe").WithReference(postgres.AddDatabase("probedb")).WaitFor(postgres);
        await using var app = builder.Build();
        var events = new List<(string Name, ResourceState State, HealthStatus Health)>();
        app.Notifications.Changed += s => { lock (events) { events.Add((s.Name, s.State, s.Health)); } };

        await app.StartAsync(Ct);

        List<(string Name, ResourceState State, HealthStatus Health)> seen;
        lock (events)
        {
            seen = [.. events];
        }

        var postgresHealthy = seen.FindIndex(e => e is { Name: "postgres", State: ResourceState.Running, Health: HealthStatus.Healthy });
        var probeStarting = seen.FindIndex(e => e is { Name: "probe", State: ResourceState.Starting });
        seen.ShouldContain(e => e.Name == "probe" && e.State == ResourceState.Waiting);
        postgresHealthy.ShouldBeGreaterThanOrEqualTo(0);
        probeStarting.ShouldBeGreaterThan(postgresHealthy);
    }

    [Fact]
    public async Task WaitFor_DependencyThatFails_KeepsTheDependentFromStarting()
    {
        var builder = TestApp.CreateBuilder(null, out _);
        var broken = builder.AddProbe("broken").WithEnvironment("Probe__ExitAtStart", "true");
        builder.AddProbe("dependent").WaitFor(broken);
        await using var app = builder.Build();

        var error = await Should.ThrowAsync<AppHostException>(() => app.StartAsync(Ct));

        error.Message.ShouldContain("'broken' exited with code 3");
        app.Notifications.Get("broken").State.ShouldBe(ResourceState.Failed);
        app.Notifications.Get("dependent").Pids.ShouldBeEmpty();
        app.Notifications.Get("dependent").State.ShouldNotBe(ResourceState.Running);
    }

    [Fact]
    public async Task Stop_IsGraceful_AndLeavesNoProcessBehind()
    {
        var builder = TestApp.CreateBuilder(null, out var state);
        var marker = Path.Combine(state, "probe-stopped");
        var postgres = builder.AddPostgres("postgres");
        var redis = builder.AddRedis("redis");
        var rabbit = builder.AddRabbitMQ("rabbitmq");
        builder.AddProbe("probe").WithReference(postgres.AddDatabase("probedb")).WithEnvironment("Probe__ShutdownMarker", marker).WaitFor(postgres);
        await using var app = builder.Build();
        await app.StartAsync(Ct);
        var pids = app.Notifications.All().SelectMany(s => s.Pids).ToList();
        // Grandchildren too: postgres backends and beam.smp carry the state folder on their command line.
        pids.AddRange(ProcFs.WithCommandLine(state));
        pids.AddRange(pids.SelectMany(ProcFs.ChildrenOf).ToList()); // PostgreSQL's backends, beam.smp
        pids = pids.Distinct().ToList();
        pids.Count.ShouldBeGreaterThanOrEqualTo(9);
        var rabbitPort = rabbit.Resource.Port!.Value;
        var epmdPort = rabbit.Resource.EpmdPort!.Value;

        await app.StopAsync();

        (await ProcFs.WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(5))).ShouldBeTrue($"still alive: {string.Join(",", pids.Where(ProcFs.IsAlive))}");
        ProcFs.WithCommandLine(state).ShouldBeEmpty();
        ProcFs.WithCommandLine($"-port {epmdPort}").ShouldBeEmpty();
        File.Exists(marker).ShouldBeTrue("the project was not stopped gracefully (no ApplicationStopping)");
        app.Notifications.All().ShouldAllBe(s => s.State == ResourceState.Stopped, "a wanted stop must not look like a crash");
        ProcFs.IsPortFree(rabbitPort).ShouldBeTrue();
        ProcFs.IsPortFree(redis.Resource.Port!.Value).ShouldBeTrue();
        app.Logs.Tail("postgres").ShouldContain(l => l.Contains("fast shutdown request"));
    }

    [Fact]
    public async Task AppHostKilledHard_LeavesNoOrphans()
    {
        var state = Path.Combine(Path.GetTempPath(), "ahod-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        File.SetUnixFileMode(state, (UnixFileMode)Convert.ToInt32("755", 8));
        var dll = Path.Combine(DistributedApplicationBuilder.RepoRoot, "Ahod.AppHost", "bin",
            typeof(LifecycleTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
                .Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration, "net10.0", "Ahod.AppHost.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, $"--AppHost:StateDirectory={state}", "--AppHost:RandomPorts=true" })
        {
            psi.ArgumentList.Add(a);
        }

        using var apphost = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var healthy = new TaskCompletionSource();
        apphost.OutputDataReceived += (_, e) =>
        {
            lock (output) { output.AppendLine(e.Data); }
            if (e.Data?.Contains("All resources healthy", StringComparison.Ordinal) == true) { healthy.TrySetResult(); }
        };
        apphost.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        apphost.BeginOutputReadLine();
        apphost.BeginErrorReadLine();
        try
        {
            await healthy.Task.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        }
        catch (TimeoutException)
        {
            apphost.Kill(entireProcessTree: true);
            throw new ShouldAssertException($"AppHost never became healthy:\n{output}");
        }

        var children = ProcFs.WithCommandLine(state);
        children.Count.ShouldBeGreaterThanOrEqualTo(3); // postgres, redis, beam.smp
        // PostgreSQL's backends and workers lead their own process groups: they must go too.
        var backends = children.SelectMany(ProcFs.ChildrenOf).ToList();
        backends.Count.ShouldBeGreaterThanOrEqualTo(4);
        children.AddRange(backends);

        apphost.Kill(); // SIGKILL: no chance to clean up itself.
        await apphost.WaitForExitAsync(Ct);

        (await ProcFs.WaitUntilGoneAsync(children, TimeSpan.FromSeconds(20))).ShouldBeTrue(
            $"orphans: {string.Join(",", children.Where(ProcFs.IsAlive))}");
        ProcFs.WithCommandLine(state).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExternalConnectionString_StartsNothing_AndIsHandedToProjects()
    {
        await using var managed = await TestApp.StartAsync(b => b.AddPostgres("managed"), Ct);
        var external = managed.GetConnectionString("managed");

        var builder = TestApp.CreateBuilder(new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = external }, out var state);
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("extdb");
        builder.AddProbe("probe").WithReference(db).WaitFor(postgres);
        await using var app = builder.Build();
        await app.StartAsync(Ct);

        app.Notifications.Get("postgres").State.ShouldBe(ResourceState.External);
        app.Notifications.Get("postgres").Pids.ShouldBeEmpty();
        Directory.Exists(Path.Combine(state, "data", "postgres")).ShouldBeFalse();
        app.GetConnectionString("extdb").ShouldBe($"{external};Database=extdb");
        await using var connection = new NpgsqlConnection(app.GetConnectionString("extdb"));
        await connection.OpenAsync(Ct); // the database was created on the external server
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("probe") };
        (await http.GetStringAsync("/env", Ct)).ShouldContain(new NpgsqlConnectionStringBuilder(external).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Replicas_RunSeveralProcessesBehindOneEndpoint()
    {
        await using var app = await TestApp.StartAsync(b => b.AddProbe("probe").WithReplicas(2), Ct);

        app.App.Notifications.Get("probe").Pids.Count.ShouldBe(2);
        var seen = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            using var http = app.CreateHttpClient("probe"); // new connection each time: the proxy balances connections
            seen.Add(await http.GetStringAsync("/pid", Ct));
        }

        seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task BusyPort_FailsWithAOneLineErrorNamingThePort()
    {
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = new DistributedApplicationBuilder(
            new AppHostOptions { StateDirectory = Directory.CreateTempSubdirectory("ahod-busy").FullName, UseFixedPorts = true, ConsoleOutput = false },
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        builder.AddRedis("redis", port);
        await using var app = builder.Build();

        var error = await Should.ThrowAsync<AppHostException>(() => app.StartAsync(Ct));

        error.Message.ShouldBe($"Port {port} needed by 'redis' is already in use on 127.0.0.1 (another instance running?).");
    }
}
