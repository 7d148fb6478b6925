using System.Text;
using Ahod.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Payments.Data;

public sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Transfer> Transfers => Set<Transfer>();

    public DbSet<Entry> Entries => Set<Entry>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    public DbSet<WithdrawalDestination> WithdrawalDestinations => Set<WithdrawalDestination>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>(account =>
        {
            account.ToTable("accounts", t =>
            {
                t.HasCheckConstraint("ck_accounts_counters_non_negative",
                    "debits_posted >= 0 AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0");
                // The last line of defence for "a wallet never goes below zero", whatever the application does.
                t.HasCheckConstraint("ck_accounts_no_overdraft",
                    "(flags & 1) = 0 OR debits_posted + debits_pending <= credits_posted");
                t.HasCheckConstraint("ck_accounts_currency", "currency ~ '^[A-Z]{3}$'");
            });
            account.HasKey(a => a.Id);
            account.Property(a => a.Id).ValueGeneratedNever();
            account.Property(a => a.Kind).HasMaxLength(16);
            account.Property(a => a.OwnerType).HasMaxLength(32);
            account.Property(a => a.Provider).HasMaxLength(32);
            account.Property(a => a.Currency).HasMaxLength(3);
            account.Property(a => a.Status).HasMaxLength(16);
            account.HasIndex(a => new { a.OwnerType, a.OwnerId, a.Kind, a.Currency })
                .IsUnique()
                .HasDatabaseName("ux_accounts_owner")
                .HasFilter("owner_id IS NOT NULL");
            account.HasIndex(a => new { a.Provider, a.Kind, a.Currency })
                .IsUnique()
                .HasDatabaseName("ux_accounts_system")
                .HasFilter("provider IS NOT NULL");
        });

        modelBuilder.Entity<Transfer>(transfer =>
        {
            transfer.ToTable("transfers", t =>
            {
                t.HasCheckConstraint("ck_transfers_amount_positive", "amount > 0");
                t.HasCheckConstraint("ck_transfers_distinct_accounts", "debit_account_id <> credit_account_id");
                t.HasCheckConstraint("ck_transfers_status",
                    "status IN ('pending', 'posted', 'voided', 'expired', 'declined')");
            });
            transfer.HasKey(t => t.Id);
            transfer.Property(t => t.Id).ValueGeneratedNever();
            transfer.Property(t => t.Currency).HasMaxLength(3);
            transfer.Property(t => t.Code).HasMaxLength(32);
            transfer.Property(t => t.Status).HasMaxLength(16);
            transfer.Property(t => t.Metadata).HasColumnType("jsonb");
            transfer.HasOne<Account>().WithMany().HasForeignKey(t => t.DebitAccountId).OnDelete(DeleteBehavior.Restrict);
            transfer.HasOne<Account>().WithMany().HasForeignKey(t => t.CreditAccountId).OnDelete(DeleteBehavior.Restrict);
            transfer.HasIndex(t => t.DebitAccountId);
            transfer.HasIndex(t => t.CreditAccountId);
            // A hold is posted at most once, even if two replicas raced past every other check.
            transfer.HasIndex(t => t.PendingId).IsUnique().HasFilter("pending_id IS NOT NULL");
            transfer.HasIndex(t => t.TimeoutAt).HasDatabaseName("ix_transfers_pending_timeout").HasFilter("status = 'pending'");
        });

        modelBuilder.Entity<Entry>(entry =>
        {
            entry.ToTable("entries", t => t.HasCheckConstraint("ck_entries_side", "side IN ('D', 'C')"));
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).UseIdentityAlwaysColumn();
            entry.Property(e => e.Side).HasMaxLength(1);
            entry.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
            entry.HasOne<Transfer>().WithMany().HasForeignKey(e => e.TransferId).OnDelete(DeleteBehavior.Restrict);
            // History pages walk an account's entries newest first.
            entry.HasIndex(e => new { e.AccountId, e.Id }).IsDescending(false, true);
            entry.HasIndex(e => e.TransferId);
        });

        modelBuilder.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable("idempotency_keys", t =>
                t.HasCheckConstraint("ck_idempotency_keys_status", "status IN ('in_flight', 'completed')"));
            record.HasKey(r => new { r.UserId, r.Key });
            record.Property(r => r.Key).HasMaxLength(255);
            record.Property(r => r.RequestHash).HasMaxLength(64);
            record.Property(r => r.Status).HasMaxLength(16);
            record.Property(r => r.ResponseContentType).HasMaxLength(64);
            record.HasIndex(r => r.ExpiresAt);
        });

        modelBuilder.Entity<WithdrawalDestination>(destination =>
        {
            destination.ToTable("withdrawal_destinations");
            destination.HasKey(d => d.TransferId);
            destination.Property(d => d.Type).HasMaxLength(16);
            destination.Property(d => d.KeyId).HasMaxLength(64);
            destination.Property(d => d.Last4).HasMaxLength(4);
            destination.HasOne<Transfer>().WithMany().HasForeignKey(d => d.TransferId).OnDelete(DeleteBehavior.Restrict);
            destination.HasIndex(d => d.UserId);
        });

        modelBuilder.AddOutboxAndInbox();

        modelBuilder.UseSnakeCaseNames();
    }
}
