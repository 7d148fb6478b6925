namespace Ahod.AppHost.Model;

/// <summary>The Aspire-shaped vocabulary of the app model.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new PostgresServerResource(name) { Port = port });

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisResource(name) { Port = port });

    public static IResourceBuilder<RabbitMqResource> AddRabbitMQ(
        this DistributedApplicationBuilder builder, string name, int? port = null, int? distributionPort = null, int? epmdPort = null) =>
        builder.AddResource(new RabbitMqResource(name) { Port = port, DistributionPort = distributionPort, EpmdPort = epmdPort });

    /// <summary>Adds a .NET project by its folder, relative to the repo root (e.g. <c>services/Ahod.Identity</c>).</summary>
    public static IResourceBuilder<ProjectResource> AddProject(
        this DistributedApplicationBuilder builder, string name, string projectPath, int? port = null)
    {
        var directory = Path.GetFullPath(Path.Combine(DistributedApplicationBuilder.RepoRoot, projectPath));
        var project = new ProjectResource(name, directory) { Port = port };
        if (!File.Exists(project.ProjectFile))
        {
            throw new InvalidOperationException($"Project '{name}': {project.ProjectFile} does not exist.");
        }

        return builder.AddResource(project);
    }

    /// <summary>Hands the resource's connection string to the project as <c>ConnectionStrings__{name}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference<T>(this IResourceBuilder<ProjectResource> project, IResourceBuilder<T> source)
        where T : Resource, IResourceWithConnectionString
    {
        project.Resource.ConnectionReferences.Add(source.Resource);
        return project;
    }

    /// <summary>Hands another project's URL to the project as <c>services__{name}__http__0</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ProjectResource> service)
    {
        project.Resource.ServiceReferences.Add(service.Resource);
        return project;
    }

    /// <summary>Start only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency) where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> project, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        project.Resource.Replicas = replicas;
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> project, string path = "/health")
    {
        project.Resource.HealthCheckPath = path;
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> project)
    {
        project.Resource.ExternalHttpEndpoints = true;
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name, string value)
    {
        project.Resource.Environment[name] = value;
        return project;
    }
}
