using Ahod.Identity.Data;
using Ahod.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Identity.Tests;

public sealed class MigrationTests(IdentityAppFixture fixture)
{
    [Fact]
    public async Task Migrations_BuildExactlyTheModelsSchema() =>
        await SchemaAssert.MigrationsMatchModelAsync(fixture.IdentityDbConnectionString, connectionString =>
        {
            var options = new DbContextOptionsBuilder<IdentityDbContext>();
            IdentityDbContext.ApplyDefaults(options.UseNpgsql(connectionString));
            return new IdentityDbContext(options.Options);
        }, TestContext.Current.CancellationToken);
}
