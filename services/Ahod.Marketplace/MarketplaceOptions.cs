using System.ComponentModel.DataAnnotations;

namespace Ahod.Marketplace;

/// <summary>Bound from the <c>Marketplace</c> configuration section.</summary>
public sealed class MarketplaceOptions
{
    public const string SectionName = "Marketplace";

    /// <summary>How long an escrow hold waits for completion; when it expires the request goes back to accepted.</summary>
    public TimeSpan HoldTimeout { get; set; } = TimeSpan.FromDays(14);

    [Range(1, 64)]
    public int MaxImagesPerListing { get; set; } = 8;

    /// <summary>Where image files are stored (the AppHost's state folder in development).</summary>
    [Required]
    public string MediaDirectory { get; set; } = "";
}
