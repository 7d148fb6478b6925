using Ahod.AppHost.Model;

namespace Ahod.AppHost.Tests;

internal static class Probe
{
    /// <summary>Adds the test service (tests/Ahod.TestService) as a project resource.</summary>
    public static IResourceBuilder<ProjectResource> AddProbe(this DistributedApplicationBuilder builder, string name) =>
        builder.AddProject(name, "tests/Ahod.TestService").WithHttpHealthCheck("/health");
}
