using Ahod.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Data;

public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public const string UniqueClientMessageIndex = "ux_messages_client_message_id";
    public const string UniqueConversationKeyIndex = "ux_conversations_key";

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Participant> Participants => Set<Participant>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<ChatUser> Users => Set<ChatUser>();

    public DbSet<ListingInfo> Listings => Set<ListingInfo>();

    /// <summary>Live pushes to run once the current transaction commits (see <see cref="AfterCommitInterceptor"/>).</summary>
    internal List<Func<Task>> AfterCommit { get; } = [];

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Conversation>(c =>
        {
            c.ToTable("conversations");
            c.HasKey(x => x.Id);
            c.Property(x => x.Id).ValueGeneratedNever();
            c.Property(x => x.Type).HasMaxLength(16);
            c.Property(x => x.Key).HasMaxLength(120);
            c.Property(x => x.Title).HasMaxLength(200);
            c.HasIndex(x => x.Key).IsUnique().HasDatabaseName(UniqueConversationKeyIndex);
            c.HasIndex(x => x.CommunityId);
        });

        modelBuilder.Entity<Participant>(p =>
        {
            p.ToTable("participants");
            p.HasKey(x => new { x.ConversationId, x.UserId });
            p.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
            // "My conversations" starts from the user.
            p.HasIndex(x => x.UserId);
        });

        modelBuilder.Entity<Message>(m =>
        {
            m.ToTable("messages", t => t.HasCheckConstraint("ck_messages_text_length", "char_length(text) <= 4000"));
            m.HasKey(x => x.Id);
            m.Property(x => x.Id).ValueGeneratedNever();
            m.Property(x => x.ClientMessageId).HasMaxLength(100);
            m.Property(x => x.Text).HasMaxLength(4000);
            m.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
            // The gap-free order and the history page: (conversation, seq) is unique and indexed.
            m.HasIndex(x => new { x.ConversationId, x.Seq }).IsUnique();
            m.HasIndex(x => new { x.ConversationId, x.SenderId, x.ClientMessageId }).IsUnique().HasDatabaseName(UniqueClientMessageIndex);
            m.HasIndex(x => x.SenderId);
        });

        modelBuilder.Entity<Notification>(n =>
        {
            n.ToTable("notifications");
            n.HasKey(x => x.Id);
            n.Property(x => x.Id).ValueGeneratedNever();
            n.Property(x => x.Type).HasMaxLength(64);
            n.Property(x => x.Title).HasMaxLength(200);
            n.Property(x => x.Body).HasMaxLength(1000);
            n.Property(x => x.Data).HasColumnType("jsonb");
            n.HasIndex(x => new { x.UserId, x.CreatedAt, x.Id });
            n.HasIndex(x => new { x.SourceEventId, x.UserId }).IsUnique();
        });

        modelBuilder.Entity<ChatUser>(u =>
        {
            u.ToTable("users");
            u.HasKey(x => x.Id);
            u.Property(x => x.Id).ValueGeneratedNever();
            u.Property(x => x.UserName).HasMaxLength(100);
            u.Property(x => x.FirstName).HasMaxLength(100);
            u.Property(x => x.LastName).HasMaxLength(100);
            u.Ignore(x => x.DisplayName);
        });

        modelBuilder.Entity<ListingInfo>(l =>
        {
            l.ToTable("listings");
            l.HasKey(x => x.Id);
            l.Property(x => x.Id).ValueGeneratedNever();
            l.Property(x => x.Title).HasMaxLength(200);
        });

        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
