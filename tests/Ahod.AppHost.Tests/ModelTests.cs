using Ahod.AppHost.Model;
using Ahod.AppHost.Run;
using Ahod.Testing;

namespace Ahod.AppHost.Tests;

public sealed class ModelTests
{
    [Fact]
    public void KeepOnly_KeepsWhatAResourceNeeds_AndDropsOtherServicesUrls()
    {
        var builder = TestApp.CreateBuilder(null, out _);
        AhodApp.Compose(builder);

        builder.KeepOnly("gateway", "payments");

        // Payments' server, database and broker stay; Identity and Savings are only URLs, so they go.
        builder.Resources.Select(r => r.Name).Order().ShouldBe(["gateway", "payments", "paymentsdb", "postgres", "rabbitmq"]);
        builder.Project("gateway").ServiceReferences.Select(s => s.Name).ShouldBe(["payments"]);
        builder.Project("payments").ServiceReferences.ShouldBeEmpty();
    }

    [Fact]
    public void Build_ProjectReferencingARemovedConnection_FailsNamingBoth()
    {
        var builder = TestApp.CreateBuilder(null, out _);
        AhodApp.Compose(builder);

        builder.Remove("redis");

        Should.Throw<AppHostException>(() => builder.Build()).Message.ShouldBe("'identity' references 'redis', which is not in the app model.");
        builder.Project("identity").WaitsFor.ShouldNotContain(r => r.Name == "redis");
    }

    [Fact]
    public void ResourceNames_AreValidated()
    {
        var builder = TestApp.CreateBuilder(null, out _);

        Should.Throw<ArgumentException>(() => builder.AddRedis("Bad_Name"));
        builder.AddRedis("cache");
        Should.Throw<InvalidOperationException>(() => builder.AddRedis("cache")).Message.ShouldContain("already exists");
    }
}
