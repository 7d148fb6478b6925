using Microsoft.EntityFrameworkCore;

namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>A service's own DbContext in miniature: business tables plus the outbox and inbox.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public const string BusinessTablesSql = """
        CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL);
        CREATE TABLE handled_events (id bigserial PRIMARY KEY, event_id uuid NOT NULL, user_name text NOT NULL);
        """;

    public DbSet<Widget> Widgets => Set<Widget>();

    public DbSet<HandledEvent> HandledEvents => Set<HandledEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<Widget>(w =>
        {
            w.ToTable("widgets");
            w.Property(x => x.Id).HasColumnName("id");
            w.Property(x => x.Name).HasColumnName("name");
        });
        modelBuilder.Entity<HandledEvent>(h =>
        {
            h.ToTable("handled_events");
            h.Property(x => x.Id).HasColumnName("id");
            h.Property(x => x.EventId).HasColumnName("event_id");
            h.Property(x => x.UserName).HasColumnName("user_name");
        });
    }
}

public sealed class Widget
{
    public Guid Id { get; set; }

    public required string Name { get; set; }
}

/// <summary>What the test handler writes: one row per successful handling.</summary>
public sealed class HandledEvent
{
    public long Id { get; set; }

    public Guid EventId { get; set; }

    public required string UserName { get; set; }
}
