using Ahod.Messaging.Inbox;
using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Ahod.Messaging;

/// <summary>Where the outbox and inbox live in a given DbContext's model, quoted for hand-written SQL.</summary>
internal static class MessagingTables
{
    public static string Outbox(DbContext dbContext) => QuotedName(dbContext, typeof(OutboxMessage));

    public static string Inbox(DbContext dbContext) => QuotedName(dbContext, typeof(InboxMessage));

    private static string QuotedName(DbContext dbContext, Type entity)
    {
        var entityType = dbContext.Model.FindEntityType(entity)
            ?? throw new InvalidOperationException(
                $"{dbContext.GetType().Name} does not map {entity.Name}: call modelBuilder.AddOutboxAndInbox() in its OnModelCreating.");
        var table = Quote(entityType.GetTableName()!);
        var schema = entityType.GetSchema();
        return schema is null ? table : $"{Quote(schema)}.{table}";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
