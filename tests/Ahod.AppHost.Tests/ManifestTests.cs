using System.Text.Json.Nodes;
using Ahod.AppHost.Model;
using Ahod.AppHost.Publish;
using Ahod.Testing;

namespace Ahod.AppHost.Tests;

public sealed class ManifestTests
{
    [Fact]
    public void Manifest_DescribesServersAsContainersAndProjectsWithTheirReferences()
    {
        var builder = TestApp.CreateBuilder(null, out _);
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("probedb");
        var redis = builder.AddRedis("redis");
        var api = builder.AddProbe("api").WithExternalHttpEndpoints();
        builder.AddProbe("worker").WithReference(db).WithReference(redis).WithReference(api);

        var manifest = ManifestPublisher.Build(builder, DistributedApplicationBuilder.RepoRoot);
        var resources = manifest["resources"]!.AsObject();

        resources["postgres"]!["type"]!.GetValue<string>().ShouldBe("container.v0");
        resources["postgres"]!["image"]!.GetValue<string>().ShouldContain("postgres");
        resources["postgres"]!["env"]!["POSTGRES_PASSWORD"]!.GetValue<string>().ShouldBe("{postgres-password.value}");
        resources["postgres-password"]!["type"]!.GetValue<string>().ShouldBe("parameter.v0");
        resources["postgres-password"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>().ShouldBeTrue();
        resources["probedb"]!["type"]!.GetValue<string>().ShouldBe("value.v0");
        resources["probedb"]!["connectionString"]!.GetValue<string>().ShouldBe("{postgres.connectionString};Database=probedb");
        var worker = resources["worker"]!;
        worker["type"]!.GetValue<string>().ShouldBe("project.v0");
        worker["path"]!.GetValue<string>().ShouldBe("tests/Ahod.TestService/Ahod.TestService.csproj");
        worker["env"]!["ConnectionStrings__probedb"]!.GetValue<string>().ShouldBe("{probedb.connectionString}");
        worker["env"]!["ConnectionStrings__redis"]!.GetValue<string>().ShouldBe("{redis.connectionString}");
        worker["env"]!["services__api__http__0"]!.GetValue<string>().ShouldBe("{api.bindings.http.url}");
        resources["api"]!["bindings"]!["http"]!["external"]!.GetValue<bool>().ShouldBeTrue();
        (resources["worker"]!["bindings"]!["http"] as JsonObject)!.ContainsKey("external").ShouldBeFalse();
        // Every placeholder points at a resource that exists in the manifest.
        foreach (var placeholder in System.Text.RegularExpressions.Regex.Matches(manifest.ToJsonString(), @"\{([a-z0-9-]+)\.").Select(m => m.Groups[1].Value).Distinct())
        {
            resources.ContainsKey(placeholder).ShouldBeTrue($"dangling reference {{{placeholder}.…}}");
        }
    }
}
