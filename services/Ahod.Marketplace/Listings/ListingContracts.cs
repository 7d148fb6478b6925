using System.Text.Json;
using Ahod.Marketplace.Data;

namespace Ahod.Marketplace.Listings;

public sealed record LocationDto(string? City, string? Region, string? Country);

public sealed record CreateListingRequest(
    string? Kind, string? Category, string? Title, string? Description, Money? Price, string? PriceUnit,
    LocationDto? Location, JsonElement? Attributes, string? Status);

/// <summary>Every field optional: what is given changes, the rest stays. The kind never changes.</summary>
public sealed record UpdateListingRequest(
    string? Category, string? Title, string? Description, Money? Price, string? PriceUnit,
    LocationDto? Location, JsonElement? Attributes, string? Status);

public sealed record ImageUrls(string Thumb, string Card, string Full);

public sealed record ImageResponse(Guid Id, ImageUrls Urls)
{
    public static ImageResponse From(ListingImage image) => new(image.Id, new ImageUrls(
        MediaPaths.Url(image.ListingId, image.Id, "thumb"), MediaPaths.Url(image.ListingId, image.Id, "card"), MediaPaths.Url(image.ListingId, image.Id, "full")));
}

public sealed record RatingResponse(double? Average, int Count);

public sealed record ListingResponse(
    Guid Id, Guid OwnerId, string Kind, string Category, string Title, string Description, Money Price, string PriceUnit,
    LocationDto Location, JsonElement Attributes, string Status, IReadOnlyList<ImageResponse> Images, RatingResponse Rating,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ListingResponse From(Listing l, IEnumerable<ListingImage> images) => new(
        l.Id, l.OwnerId, l.Kind, l.Category, l.Title, l.Description, new Money(l.PriceAmount, l.Currency), l.PriceUnit,
        new LocationDto(l.City, l.Region, l.Country), JsonDocument.Parse(l.Attributes).RootElement.Clone(), l.Status,
        [.. images.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).Select(ImageResponse.From)],
        new RatingResponse(l.RatingCount == 0 ? null : Math.Round((double)l.RatingSum / l.RatingCount, 2), l.RatingCount),
        l.CreatedAt, l.UpdatedAt);
}

/// <summary>Where an image's sizes live, relative to the media root and as URLs under /media.</summary>
public static class MediaPaths
{
    public static readonly string[] Sizes = ["thumb", "card", "full"];

    public static string Key(Guid listingId, Guid imageId, string size) => $"{listingId:D}/{imageId:D}-{size}.webp";

    public static string Url(Guid listingId, Guid imageId, string size) => "/media/" + Key(listingId, imageId, size);
}
