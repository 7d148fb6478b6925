namespace Ahod.AppHost.Model;

/// <summary>A .NET project started from its build output with the Aspire environment contract.</summary>
public sealed class ProjectResource(string name, string projectDirectory) : Resource(name), IResourceWithEndpoints
{
    /// <summary>Absolute path of the project folder (the .csproj inside has the folder's name).</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    public string ProjectName => Path.GetFileName(ProjectDirectory.TrimEnd('/'));

    public string ProjectFile => Path.Combine(ProjectDirectory, ProjectName + ".csproj");

    /// <summary>Fixed port when set (development); otherwise a free one is picked at start.</summary>
    public int? Port { get; set; }

    public int Replicas { get; set; } = 1;

    public bool ExternalHttpEndpoints { get; set; }

    /// <summary>Path polled for readiness (200 = healthy); null means "running" is enough.</summary>
    public string? HealthCheckPath { get; set; }

    public List<IResourceWithConnectionString> ConnectionReferences { get; } = [];

    public List<IResourceWithEndpoints> ServiceReferences { get; } = [];

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public Uri? HttpEndpoint { get; internal set; }
}
