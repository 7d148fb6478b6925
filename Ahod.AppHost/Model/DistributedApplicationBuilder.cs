using System.Reflection;
using Ahod.AppHost.Run;
using Microsoft.Extensions.Configuration;

namespace Ahod.AppHost.Model;

/// <summary>How an app model runs: where its state lives and whether dev ports are honoured.</summary>
public sealed class AppHostOptions
{
    /// <summary>Folder for passwords, data and logs (<c>.ahod/</c> at the repo root in development).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Development uses the fixed ports in the app model; tests take free ones.</summary>
    public bool UseFixedPorts { get; init; } = true;

    /// <summary>Print resource logs and the live table to the console.</summary>
    public bool ConsoleOutput { get; init; } = true;

    /// <summary>Trade durability for speed (fsync off): for throwaway test servers only.</summary>
    public bool Ephemeral { get; init; }

    /// <summary>ASPNETCORE_ENVIRONMENT handed to projects.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Where projects export telemetry (OTEL_EXPORTER_OTLP_ENDPOINT); none when null.</summary>
    public string? OtlpEndpoint { get; init; }
}

/// <summary>Collects the resources of the app, in the spirit of Aspire's IDistributedApplicationBuilder.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    public DistributedApplicationBuilder(AppHostOptions options, IConfiguration configuration)
    {
        Options = options;
        Configuration = configuration;
    }

    public AppHostOptions Options { get; }

    public IConfiguration Configuration { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>The repo root (where Ahod.sln lives), so projects can be added by relative path.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The development builder: fixed ports, state under <c>.ahod/</c>, configuration from
    /// appsettings.json, environment variables and the command line.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var state = configuration["AppHost:StateDirectory"] ?? Path.Combine(RepoRoot, ".ahod");
        return new DistributedApplicationBuilder(
            new AppHostOptions
            {
                StateDirectory = Path.GetFullPath(state),
                // Free ports instead of the fixed development ones, e.g. to run next to a running instance.
                UseFixedPorts = !string.Equals(configuration["AppHost:RandomPorts"], "true", StringComparison.OrdinalIgnoreCase),
                EnvironmentName = configuration["AppHost:Environment"] ?? "Development",
                OtlpEndpoint = configuration["AppHost:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"],
            },
            configuration);
    }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists in the app model.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <summary>Drops a resource (and the resources inside it, like a server's databases) before the app is built.
    /// Other projects stop waiting for it and no longer get its URL; a connection string they need fails <see cref="Build"/>.</summary>
    public void Remove(string name)
    {
        var doomed = _resources.Where(r => r.Name == name || r.Parent?.Name == name).ToList();
        foreach (var r in doomed)
        {
            _resources.Remove(r);
        }

        foreach (var project in _resources.OfType<ProjectResource>())
        {
            project.WaitsFor.RemoveAll(doomed.Contains);
            project.ServiceReferences.RemoveAll(s => doomed.Any(d => d.Name == s.Name));
        }
    }

    /// <summary>
    /// Keeps only <paramref name="names"/> and what they cannot run without: what they wait for, their servers and
    /// the connection strings they are handed, transitively. Other services' URLs are dropped (a gateway then answers
    /// 503 on their routes): tests start "some resources" of the real model this way.
    /// </summary>
    public void KeepOnly(params string[] names)
    {
        var byName = _resources.ToDictionary(r => r.Name);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(names);
        while (pending.TryPop(out var name))
        {
            if (!byName.TryGetValue(name, out var resource))
            {
                throw new ArgumentException($"No resource '{name}' in the app model.", nameof(names));
            }

            if (!keep.Add(name))
            {
                continue;
            }

            var needs = resource.WaitsFor.Append(resource.Parent).OfType<Resource>().Select(r => r.Name);
            if (resource is ProjectResource project)
            {
                needs = needs.Concat(project.ConnectionReferences.Select(c => c.Name));
            }

            foreach (var need in needs)
            {
                pending.Push(need);
            }
        }

        foreach (var name in _resources.Select(r => r.Name).Where(n => !keep.Contains(n)).ToList())
        {
            Remove(name);
        }
    }

    /// <summary>The project named <paramref name="name"/> (to adjust its environment, say).</summary>
    public ProjectResource Project(string name) =>
        _resources.OfType<ProjectResource>().SingleOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"No project named '{name}' in the app model.");

    public DistributedApplication Build()
    {
        foreach (var resource in _resources)
        {
            ApplyExternalConnectionString(resource);
        }

        foreach (var project in _resources.OfType<ProjectResource>())
        {
            var missing = project.ConnectionReferences.FirstOrDefault(c => !_resources.Any(r => r.Name == c.Name));
            if (missing is not null)
            {
                throw new AppHostException($"'{project.Name}' references '{missing.Name}', which is not in the app model.");
            }
        }

        return new DistributedApplication(this);
    }

    // A configured connection string makes the resource external: the user's managed server is used as is.
    private void ApplyExternalConnectionString(Resource resource)
    {
        var configured = Configuration.GetConnectionString(resource.Name);
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        switch (resource)
        {
            case ServerResource server:
                server.ExternalConnectionString = configured;
                break;
            case PostgresDatabaseResource database:
                database.ExternalConnectionString = configured;
                break;
        }
    }

    private static string FindRepoRoot()
    {
        var baked = typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AhodRepoRoot")?.Value;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ahod.sln")))
            {
                return dir.FullName;
            }
        }

        return baked ?? Directory.GetCurrentDirectory();
    }
}

public interface IResourceBuilder<out T> where T : Resource
{
    DistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed record ResourceBuilder<T>(DistributedApplicationBuilder ApplicationBuilder, T Resource) : IResourceBuilder<T>
    where T : Resource;
