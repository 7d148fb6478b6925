using Ahod.Chat.Data;
using Ahod.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Tests;

public sealed class DatabaseTests(ChatAppFixture fixture)
{
    [Fact]
    public Task Migrations_BuildExactlyTheModelSchema() =>
        SchemaAssert.MigrationsMatchModelAsync(fixture.ChatDb, connectionString =>
        {
            var options = new DbContextOptionsBuilder<ChatDbContext>().UseNpgsql(connectionString);
            ChatExtensions.ConfigureDbContext(options);
            return new ChatDbContext(options.Options);
        }, TestContext.Current.CancellationToken);
}
