using System.Security.Claims;
using Ahod.Marketplace.Data;
using Ahod.Marketplace.Listings;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ahod.Marketplace.Images;

public static partial class ImagesEndpoints
{
    /// <summary>The multipart envelope around a 10 MB file.</summary>
    private const long MaxBodyBytes = ImageProcessor.MaxBytes + 64 * 1024;

    public static RouteGroupBuilder MapImagesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/listings/{id:guid}/images").RequireAuthorization().WithNoStore().WithTags("Images");
        group.MapPost("/", UploadAsync).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitMetadata(MaxBodyBytes));
        group.MapDelete("/{imageId:guid}", DeleteAsync);
        return group;
    }

    /// <summary>GET /media/{listingId}/{imageId}-{size}.webp: a new image is a new name, so its files never change.</summary>
    public static RouteHandlerBuilder MapMediaEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/media/{listingId:guid}/{file}", ServeMedia).AllowAnonymous().WithTags("Images");

    internal static Results<FileStreamHttpResult, NotFound> ServeMedia(Guid listingId, string file, IImageStore store, HttpContext http)
    {
        var match = MediaFile().Match(file);
        if (!match.Success || store.OpenRead(MediaPaths.Key(listingId, Guid.Parse(match.Groups["id"].Value), match.Groups["size"].Value)) is not { } stream)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(stream, "image/webp");
    }

    private sealed record RequestSizeLimitMetadata(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    internal static async Task<Results<Created<ImageResponse>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, MarketplaceDbContext db, ImageProcessor processor, IImageStore store,
        IOptions<MarketplaceOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var owned = await db.Listings.AsNoTracking().AnyAsync(l => l.Id == id && l.OwnerId == user.GetUserId(), cancellationToken);
        if (!owned)
        {
            return Problems.NotFound("listing");
        }

        if (http.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        if (!http.HasFormContentType)
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Multipart form expected.", "Send the image as multipart/form-data in the field 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (InvalidDataException)
        {
            return Problems.Invalid("file", "The multipart body could not be read.");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return Problems.Invalid("file", "Required: the image in the multipart field 'file'.");
        }

        if (file.Length > ImageProcessor.MaxBytes)
        {
            return TooLarge();
        }

        var bytes = new byte[file.Length];
        await using (var input = file.OpenReadStream())
        {
            await input.ReadExactlyAsync(bytes, cancellationToken);
        }

        var (processed, refusal) = await processor.ProcessAsync(bytes, cancellationToken);
        if (refusal is not null)
        {
            return Problems.Status(refusal.Status, refusal.Title, refusal.Detail);
        }

        var image = new ListingImage { Id = Guid.CreateVersion7(), ListingId = id, CreatedAt = clock.GetUtcNow() };
        // Files first: a row always has its files; files whose row never committed are swept with the listing.
        await store.SaveAsync(MediaPaths.Key(id, image.Id, "thumb"), processed!.Thumb, cancellationToken);
        await store.SaveAsync(MediaPaths.Key(id, image.Id, "card"), processed.Card, cancellationToken);
        await store.SaveAsync(MediaPaths.Key(id, image.Id, "full"), processed.Full, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var listing = await ListingsEndpoints.LockOwnAsync(db, id, user, cancellationToken);
        var count = await db.Images.CountAsync(i => i.ListingId == id, cancellationToken);
        if (listing is null || listing.Status == ListingStatuses.Closed || count >= options.Value.MaxImagesPerListing)
        {
            await store.DeleteImageAsync(id, image.Id, cancellationToken);
            return listing is null ? Problems.NotFound("listing")
                : listing.Status == ListingStatuses.Closed ? Problems.Conflict("The listing is closed.")
                : Problems.Rule("Too many images.", $"A listing has at most {options.Value.MaxImagesPerListing} images.");
        }

        db.Images.Add(image);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created(MediaPaths.Url(id, image.Id, "full"), ImageResponse.From(image));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, Guid imageId, ClaimsPrincipal user, MarketplaceDbContext db, IImageStore store, CancellationToken cancellationToken)
    {
        var deleted = await db.Images
            .Where(i => i.Id == imageId && i.ListingId == id && db.Listings.Any(l => l.Id == id && l.OwnerId == user.GetUserId()))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Problems.NotFound("image");
        }

        await store.DeleteImageAsync(id, imageId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Image too large.", $"An image may be at most {ImageProcessor.MaxBytes / (1024 * 1024)} MB.");

    [System.Text.RegularExpressions.GeneratedRegex("^(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(?<size>thumb|card|full)\\.webp$")]
    private static partial System.Text.RegularExpressions.Regex MediaFile();
}
