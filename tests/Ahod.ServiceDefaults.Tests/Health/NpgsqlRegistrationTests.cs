using Microsoft.Extensions.Hosting;

namespace Ahod.ServiceDefaults.Tests.Health;

// Checks against a live PostgreSQL belong to the shared test harness; these need no server.
public sealed class NpgsqlRegistrationTests
{
    [Fact]
    public void AddNpgsqlDataSource_MissingConnectionString_ThrowsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();

        var exception = Should.Throw<InvalidOperationException>(() => builder.AddNpgsqlDataSource("paymentsdb"));

        exception.Message.ShouldContain("ConnectionStrings__paymentsdb");
    }

    [Fact]
    public void AddNpgsqlDbContext_MissingConnectionString_ThrowsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();

        var exception = Should.Throw<InvalidOperationException>(
            () => builder.AddNpgsqlDbContext<Microsoft.EntityFrameworkCore.DbContext>("savingsdb"));

        exception.Message.ShouldContain("ConnectionStrings:savingsdb");
    }
}
