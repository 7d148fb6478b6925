namespace Ahod.Messaging;

/// <summary>
/// DDL for the outbox and inbox tables, for services' hand-written migrations. It matches the
/// mapping of <see cref="MessagingModelBuilderExtensions.AddOutboxAndInbox"/> and is idempotent.
/// </summary>
public static class MessagingSchema
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Creates both tables in the first schema of the search path (normally <c>public</c>).</summary>
    public static string CreateTablesSql { get; } = CreateTablesSqlTemplate.Replace(SchemaPrefix, "", StringComparison.Ordinal);

    /// <summary>Creates both tables in <paramref name="schema"/> (for a DbContext with a default schema).</summary>
    public static string CreateTablesSqlFor(string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        var quoted = "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return $"CREATE SCHEMA IF NOT EXISTS {quoted};\n"
            + CreateTablesSqlTemplate.Replace(SchemaPrefix, quoted + ".", StringComparison.Ordinal);
    }

    private const string SchemaPrefix = "<schema>";

    private const string CreateTablesSqlTemplate = """
        CREATE TABLE IF NOT EXISTS <schema>outbox_messages (
            id uuid NOT NULL,
            type text NOT NULL,
            payload jsonb NOT NULL,
            occurred_at timestamp with time zone NOT NULL,
            created_at timestamp with time zone NOT NULL,
            processed_at timestamp with time zone NULL,
            attempts integer NOT NULL,
            last_error text NULL,
            trace_parent text NULL,
            CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_messages_unprocessed
            ON <schema>outbox_messages (created_at, id) WHERE processed_at IS NULL;
        CREATE INDEX IF NOT EXISTS ix_outbox_messages_processed_at
            ON <schema>outbox_messages (processed_at) WHERE processed_at IS NOT NULL;
        CREATE TABLE IF NOT EXISTS <schema>inbox_messages (
            event_id uuid NOT NULL,
            consumer text NOT NULL,
            event_type text NOT NULL,
            processed_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_inbox_messages PRIMARY KEY (event_id, consumer)
        );
        """;
}
