using Ahod.Messaging.Inbox;
using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Messaging;

public static class MessagingModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="OutboxMessage"/> and <see cref="InboxMessage"/> into the service's own DbContext,
    /// so events are written, and handled events recorded, in the same transaction as the business data.
    /// Column names are explicit: the relay and the inbox use hand-written SQL against them.
    /// </summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable(MessagingSchema.OutboxTable);
            // Named here, not by a service's conventions, so MessagingSchema's DDL matches every service's model.
            outbox.HasKey(m => m.Id).HasName("pk_outbox_messages");
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.Type).HasColumnName("type");
            outbox.Property(m => m.Payload).HasColumnName("payload").HasColumnType("jsonb");
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
            outbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error");
            outbox.Property(m => m.TraceParent).HasColumnName("trace_parent");
            outbox.HasIndex(m => new { m.CreatedAt, m.Id })
                .HasDatabaseName("ix_outbox_messages_unprocessed")
                .HasFilter("processed_at IS NULL");
            outbox.HasIndex(m => m.ProcessedAt)
                .HasDatabaseName("ix_outbox_messages_processed_at")
                .HasFilter("processed_at IS NOT NULL");
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable(MessagingSchema.InboxTable);
            inbox.HasKey(m => new { m.EventId, m.Consumer }).HasName("pk_inbox_messages");
            inbox.Property(m => m.EventId).HasColumnName("event_id").ValueGeneratedNever();
            inbox.Property(m => m.Consumer).HasColumnName("consumer");
            inbox.Property(m => m.EventType).HasColumnName("event_type");
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });

        return modelBuilder;
    }
}
