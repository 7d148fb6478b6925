using Ahod.ServiceDefaults;
using System.Text;
using Ahod.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ahod.Identity.Data;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<RefreshTokenFamily> RefreshTokenFamilies => Set<RefreshTokenFamily>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<ErasedUser> ErasedUsers => Set<ErasedUser>();

    /// <summary>Index names the handlers match on when a unique constraint turns a race into a 409.</summary>
    public const string UniqueEmailIndex = "ix_users_normalized_email";
    public const string UniqueUserNameIndex = "ix_users_user_name";

    /// <summary>What the service sets on top of the provider; tests that build the context themselves use it too.</summary>
    public static DbContextOptionsBuilder ApplyDefaults(DbContextOptionsBuilder options) =>
        // Migrations are hand-written without a model snapshot; a test checks them against the model instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).ValueGeneratedNever();
            user.Property(u => u.Email).HasMaxLength(254);
            user.Property(u => u.NormalizedEmail).HasMaxLength(254).HasComputedColumnSql("lower(email)", stored: true);
            user.Property(u => u.UserName).HasMaxLength(32);
            user.Property(u => u.FirstName).HasMaxLength(100);
            user.Property(u => u.LastName).HasMaxLength(100);
            user.Property(u => u.FirstNameLower).HasMaxLength(100).HasComputedColumnSql("lower(first_name)", stored: true);
            user.Property(u => u.LastNameLower).HasMaxLength(100).HasComputedColumnSql("lower(last_name)", stored: true);
            user.Property(u => u.PhotoUrl).HasMaxLength(2048);
            user.Property(u => u.Roles).HasColumnType("text[]");

            user.HasIndex(u => u.NormalizedEmail, UniqueEmailIndex).IsUnique();
            user.HasIndex(u => u.UserName, UniqueUserNameIndex).IsUnique();
            // Prefix search (LIKE 'abc%') can use a btree only with text_pattern_ops under a non-C collation.
            user.HasIndex(u => u.UserName, "ix_users_user_name_prefix").HasOperators("text_pattern_ops");
            user.HasIndex(u => u.FirstNameLower, "ix_users_first_name_prefix").HasOperators("text_pattern_ops");
            user.HasIndex(u => u.LastNameLower, "ix_users_last_name_prefix").HasOperators("text_pattern_ops");
        });

        modelBuilder.Entity<RefreshTokenFamily>(family =>
        {
            family.ToTable("refresh_token_families");
            family.HasKey(f => f.Id);
            family.Property(f => f.Id).ValueGeneratedNever();
            family.Property(f => f.RevokedReason).HasMaxLength(32);
            family.HasIndex(f => f.UserId, "ix_refresh_token_families_user_id");
            family.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
            family.HasMany(f => f.Tokens).WithOne().HasForeignKey(t => t.FamilyId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.ToTable("refresh_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).ValueGeneratedNever();
            token.HasIndex(t => t.TokenHash, "ix_refresh_tokens_token_hash").IsUnique();
            token.HasIndex(t => t.FamilyId, "ix_refresh_tokens_family_id");
        });

        modelBuilder.Entity<ErasedUser>(erased =>
        {
            erased.ToTable("erased_users");
            erased.HasKey(e => e.Id);
            erased.Property(e => e.Id).ValueGeneratedNever();
        });

        modelBuilder.AddOutboxAndInbox();

        // snake_case columns; constraint names stay EF's own (its migration was generated with them).
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.FindAnnotation("Relational:ColumnName") is null)
            {
                property.SetColumnName(SnakeCaseNames.ToSnakeCase(property.Name));
            }
        }
    }
}
