using Ahod.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Data;

public sealed class MarketplaceDbContext(DbContextOptions<MarketplaceDbContext> options) : DbContext(options)
{
    public const string UniqueReviewIndex = "ux_reviews_request_author_role";

    /// <summary>The weighted document full-text search runs on; PostgreSQL keeps it in step with the row.</summary>
    public const string SearchVectorSql = """
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', replace(category, '-', ' ') || ' ' || kind || ' ' || coalesce(attributes ->> 'subject', '')), 'B') ||
        setweight(to_tsvector('english', description), 'C')
        """;

    public DbSet<Listing> Listings => Set<Listing>();

    public DbSet<ListingImage> Images => Set<ListingImage>();

    public DbSet<ListingRequest> Requests => Set<ListingRequest>();

    public DbSet<Review> Reviews => Set<Review>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Listing>(listing =>
        {
            listing.ToTable("listings", t =>
            {
                t.HasCheckConstraint("ck_listings_price", "price_amount >= 0");
                t.HasCheckConstraint("ck_listings_currency", "currency ~ '^[A-Z]{3}$'");
            });
            listing.HasKey(l => l.Id);
            listing.Property(l => l.Id).ValueGeneratedNever();
            listing.Property(l => l.Kind).HasMaxLength(16);
            listing.Property(l => l.Category).HasMaxLength(32);
            listing.Property(l => l.Title).HasMaxLength(120);
            listing.Property(l => l.Description).HasMaxLength(5000);
            listing.Property(l => l.Currency).HasMaxLength(3);
            listing.Property(l => l.PriceUnit).HasMaxLength(8);
            listing.Property(l => l.City).HasMaxLength(100);
            listing.Property(l => l.Region).HasMaxLength(100);
            listing.Property(l => l.Country).HasMaxLength(2);
            listing.Property(l => l.Status).HasMaxLength(16);
            listing.Property(l => l.Attributes).HasColumnType("jsonb");
            listing.Property(l => l.SearchVector).HasColumnType("tsvector").HasComputedColumnSql(SearchVectorSql, stored: true);
            listing.HasIndex(l => l.SearchVector).HasMethod("GIN");
            listing.HasIndex(l => l.Attributes).HasMethod("GIN").HasOperators("jsonb_path_ops");
            // Browsing: published listings by each sort's keyset.
            listing.HasIndex(l => new { l.CreatedAt, l.Id }).HasFilter("status = 'published'").HasDatabaseName("ix_listings_published_newest");
            listing.HasIndex(l => new { l.PriceAmount, l.Id }).HasFilter("status = 'published'").HasDatabaseName("ix_listings_published_price");
            listing.HasIndex(l => new { l.OwnerId, l.CreatedAt });
        });

        modelBuilder.Entity<ListingImage>(image =>
        {
            image.ToTable("listing_images");
            image.HasKey(i => i.Id);
            image.Property(i => i.Id).ValueGeneratedNever();
            image.HasOne<Listing>().WithMany().HasForeignKey(i => i.ListingId).OnDelete(DeleteBehavior.Cascade);
            image.HasIndex(i => new { i.ListingId, i.CreatedAt });
        });

        modelBuilder.Entity<ListingRequest>(request =>
        {
            request.ToTable("requests", t => t.HasCheckConstraint("ck_requests_price", "price_amount >= 0"));
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).ValueGeneratedNever();
            request.Property(r => r.Kind).HasMaxLength(8);
            request.Property(r => r.Status).HasMaxLength(16);
            request.Property(r => r.Message).HasMaxLength(2000);
            request.Property(r => r.Currency).HasMaxLength(3);
            request.Property(r => r.Reason).HasMaxLength(500);
            request.Property(r => r.PaymentKey).HasMaxLength(255);
            request.Property(r => r.PaymentStatus).HasMaxLength(16);
            request.HasOne<Listing>().WithMany().HasForeignKey(r => r.ListingId).OnDelete(DeleteBehavior.Cascade);
            request.HasIndex(r => new { r.RequesterId, r.CreatedAt });
            request.HasIndex(r => new { r.OwnerId, r.CreatedAt });
            request.HasIndex(r => r.ListingId);
            request.HasIndex(r => r.HoldId);
        });

        modelBuilder.Entity<Review>(review =>
        {
            review.ToTable("reviews", t => t.HasCheckConstraint("ck_reviews_rating", "rating BETWEEN 1 AND 5"));
            review.HasKey(r => r.Id);
            review.Property(r => r.Id).ValueGeneratedNever();
            review.Property(r => r.AuthorRole).HasMaxLength(16);
            review.Property(r => r.Text).HasMaxLength(2000);
            review.HasOne<Listing>().WithMany().HasForeignKey(r => r.ListingId).OnDelete(DeleteBehavior.Cascade);
            review.HasOne<ListingRequest>().WithMany().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Cascade);
            // One review per party per request (the author id is erased with the author; the role is not).
            review.HasIndex(r => new { r.RequestId, r.AuthorRole }).IsUnique().HasDatabaseName(UniqueReviewIndex);
            review.HasIndex(r => new { r.ListingId, r.CreatedAt });
            review.HasIndex(r => r.AuthorId);
        });

        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
