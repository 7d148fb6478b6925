using System.Text;
using Ahod.Messaging;
using Ahod.Messaging.Inbox;
using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Data;

public sealed class SavingsDbContext(DbContextOptions<SavingsDbContext> options) : DbContext(options)
{
    public DbSet<Community> Communities => Set<Community>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Invite> Invites => Set<Invite>();

    public DbSet<Cycle> Cycles => Set<Cycle>();

    public DbSet<Contribution> Contributions => Set<Contribution>();

    public DbSet<PotDisbursement> Disbursements => Set<PotDisbursement>();

    public DbSet<Bid> Bids => Set<Bid>();

    public DbSet<Strike> Strikes => Set<Strike>();

    public DbSet<Plea> Pleas => Set<Plea>();

    public DbSet<PleaVote> PleaVotes => Set<PleaVote>();

    public DbSet<Loan> Loans => Set<Loan>();

    public DbSet<LoanPayment> LoanPayments => Set<LoanPayment>();

    public DbSet<SchedulerLease> SchedulerLeases => Set<SchedulerLease>();

    /// <summary>Unique index whose violation means "this member already paid this cycle" (a race lost, not an error).</summary>
    public const string UniqueContributionIndex = "ux_contributions_member_cycle";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasSequence<long>("member_join_sequence");

        modelBuilder.Entity<Community>(community =>
        {
            community.ToTable("communities", t =>
            {
                t.HasCheckConstraint("ck_communities_amounts", "goal_amount >= 0 AND contribution_amount > 0 AND late_fee_amount >= 0");
                t.HasCheckConstraint("ck_communities_currency", "currency ~ '^[A-Z]{3}$'");
            });
            community.HasKey(c => c.Id);
            community.Property(c => c.Id).ValueGeneratedNever();
            community.Property(c => c.Name).HasMaxLength(100);
            community.Property(c => c.Bio).HasMaxLength(2000);
            community.Property(c => c.Currency).HasMaxLength(3);
            community.Property(c => c.Frequency).HasMaxLength(16);
            community.Property(c => c.PayoutMethod).HasMaxLength(16);
            community.Property(c => c.InviteCode).HasMaxLength(64);
            community.HasIndex(c => c.InviteCode).IsUnique();
            // Discovery lists public communities newest first.
            community.HasIndex(c => new { c.IsPrivate, c.CreatedAt });
        });

        modelBuilder.Entity<Member>(member =>
        {
            member.ToTable("members");
            member.HasKey(m => new { m.CommunityId, m.UserId });
            member.Property(m => m.Role).HasMaxLength(16);
            member.Property(m => m.Status).HasMaxLength(16);
            member.Property(m => m.JoinSequence).HasDefaultValueSql("nextval('member_join_sequence')");
            member.HasOne<Community>().WithMany().HasForeignKey(m => m.CommunityId).OnDelete(DeleteBehavior.Cascade);
            member.HasIndex(m => m.UserId);
        });

        modelBuilder.Entity<Invite>(invite =>
        {
            invite.ToTable("invites");
            invite.HasKey(i => i.Id);
            invite.Property(i => i.Id).ValueGeneratedNever();
            invite.Property(i => i.Email).HasMaxLength(254);
            invite.HasOne<Community>().WithMany().HasForeignKey(i => i.CommunityId).OnDelete(DeleteBehavior.Cascade);
            invite.HasIndex(i => i.CommunityId);
            invite.HasIndex(i => i.InvitedBy);
        });

        modelBuilder.Entity<Cycle>(cycle =>
        {
            cycle.ToTable("cycles", t =>
            {
                t.HasCheckConstraint("ck_cycles_status", "status IN ('open', 'closing', 'closed')");
                t.HasCheckConstraint("ck_cycles_payout_amount", "payout_amount IS NULL OR payout_amount >= 0");
            });
            cycle.HasKey(c => new { c.CommunityId, c.Number });
            cycle.Property(c => c.Status).HasMaxLength(16);
            cycle.HasOne<Community>().WithMany().HasForeignKey(c => c.CommunityId).OnDelete(DeleteBehavior.Cascade);
            // The scheduler scans the cycles that are not closed yet.
            cycle.HasIndex(c => c.DueAt).HasFilter("status <> 'closed'");
        });

        modelBuilder.Entity<Contribution>(contribution =>
        {
            contribution.ToTable("contributions", t =>
                t.HasCheckConstraint("ck_contributions_amounts", "amount > 0 AND late_fee >= 0"));
            contribution.HasKey(c => c.Id);
            contribution.Property(c => c.Id).ValueGeneratedNever();
            contribution.Property(c => c.IdempotencyKey).HasMaxLength(255);
            contribution.HasOne<Cycle>().WithMany().HasForeignKey(c => new { c.CommunityId, c.CycleNumber }).OnDelete(DeleteBehavior.Cascade);
            contribution.HasIndex(c => new { c.CommunityId, c.CycleNumber, c.MemberUserId }).IsUnique().HasDatabaseName(UniqueContributionIndex);
            contribution.HasIndex(c => c.MemberUserId);
            contribution.HasIndex(c => c.PaidByUserId);
        });

        modelBuilder.Entity<PotDisbursement>(disbursement =>
        {
            disbursement.ToTable("pot_disbursements", t =>
            {
                t.HasCheckConstraint("ck_pot_disbursements_amount", "amount > 0");
                t.HasCheckConstraint("ck_pot_disbursements_kind", "kind IN ('payout', 'dividend')");
            });
            disbursement.HasKey(d => d.TransferId);
            disbursement.Property(d => d.TransferId).ValueGeneratedNever();
            disbursement.Property(d => d.Kind).HasMaxLength(16);
            disbursement.Property(d => d.Status).HasMaxLength(16);
            disbursement.HasOne<Cycle>().WithMany().HasForeignKey(d => new { d.CommunityId, d.CycleNumber }).OnDelete(DeleteBehavior.Cascade);
            disbursement.HasIndex(d => new { d.CommunityId, d.CycleNumber });
            disbursement.HasIndex(d => d.UserId);
        });

        modelBuilder.Entity<Bid>(bid =>
        {
            bid.ToTable("bids", t => t.HasCheckConstraint("ck_bids_discount", "discount >= 0"));
            bid.HasKey(b => new { b.CommunityId, b.CycleNumber, b.UserId });
            bid.HasOne<Cycle>().WithMany().HasForeignKey(b => new { b.CommunityId, b.CycleNumber }).OnDelete(DeleteBehavior.Cascade);
            bid.HasIndex(b => b.UserId);
        });

        modelBuilder.Entity<Strike>(strike =>
        {
            strike.ToTable("strikes");
            strike.HasKey(s => new { s.CommunityId, s.CycleNumber, s.UserId });
            strike.Property(s => s.Reason).HasMaxLength(16);
            strike.HasOne<Cycle>().WithMany().HasForeignKey(s => new { s.CommunityId, s.CycleNumber }).OnDelete(DeleteBehavior.Cascade);
            strike.HasIndex(s => s.UserId);
        });

        modelBuilder.Entity<Plea>(plea =>
        {
            plea.ToTable("pleas");
            plea.HasKey(p => p.Id);
            plea.Property(p => p.Id).ValueGeneratedNever();
            plea.Property(p => p.Title).HasMaxLength(200);
            plea.Property(p => p.Body).HasMaxLength(4000);
            plea.Property(p => p.Status).HasMaxLength(16);
            plea.HasOne<Community>().WithMany().HasForeignKey(p => p.CommunityId).OnDelete(DeleteBehavior.Cascade);
            plea.HasIndex(p => new { p.CommunityId, p.CreatedAt });
            plea.HasIndex(p => p.UserId);
        });

        modelBuilder.Entity<PleaVote>(vote =>
        {
            vote.ToTable("plea_votes");
            vote.HasKey(v => new { v.PleaId, v.UserId });
            vote.HasOne<Plea>().WithMany().HasForeignKey(v => v.PleaId).OnDelete(DeleteBehavior.Cascade);
            vote.HasIndex(v => v.UserId);
        });

        modelBuilder.Entity<Loan>(loan =>
        {
            loan.ToTable("loans", t =>
            {
                t.HasCheckConstraint("ck_loans_amounts", "principal_amount > 0 AND balance_amount >= 0 AND monthly_payment_amount >= 0");
                t.HasCheckConstraint("ck_loans_rate", "rate_basis_points >= 0 AND rate_basis_points <= 10000");
                t.HasCheckConstraint("ck_loans_due_day", "due_day BETWEEN 1 AND 28");
            });
            loan.HasKey(l => l.Id);
            loan.Property(l => l.Id).ValueGeneratedNever();
            loan.Property(l => l.Servicer).HasMaxLength(200);
            loan.Property(l => l.Currency).HasMaxLength(3);
            loan.HasIndex(l => l.UserId);
        });

        modelBuilder.Entity<LoanPayment>(payment =>
        {
            payment.ToTable("loan_payments", t => t.HasCheckConstraint("ck_loan_payments_amount", "amount > 0"));
            payment.HasKey(p => p.Id);
            payment.Property(p => p.Id).ValueGeneratedNever();
            payment.Property(p => p.Source).HasMaxLength(16);
            payment.HasOne<Loan>().WithMany().HasForeignKey(p => p.LoanId).OnDelete(DeleteBehavior.Cascade);
            payment.HasIndex(p => p.LoanId);
            // A payout is recorded on a loan at most once, however often closing is retried.
            payment.HasIndex(p => p.TransferId).IsUnique().HasFilter("transfer_id IS NOT NULL");
        });

        modelBuilder.Entity<SchedulerLease>(lease =>
        {
            lease.ToTable("scheduler_leases");
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(64);
            lease.Property(l => l.Holder).HasMaxLength(128);
        });

        modelBuilder.AddOutboxAndInbox();

        modelBuilder.UseSnakeCaseNames();
    }
}
