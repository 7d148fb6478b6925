using NetVips;

namespace Ahod.Marketplace.Images;

/// <summary>Why an upload was refused, as the status and sentence the client gets.</summary>
public sealed record ImageRefusal(int Status, string Title, string Detail);

/// <summary>The three stored sizes of one upload, as WebP without any metadata.</summary>
public sealed record ProcessedImage(byte[] Thumb, byte[] Card, byte[] Full);

/// <summary>
/// Uploads through libvips (NetVips): the type is sniffed from the first bytes, the dimensions read from the header
/// alone, so a decompression bomb (a small file that decodes to gigapixels) is refused before any pixel is decoded.
/// Then <c>thumbnail</c> (shrink-on-load, EXIF orientation applied) makes each size, and WebP is written with
/// <c>keep=none</c>: EXIF, GPS, XMP and ICC never reach the stored files.
/// </summary>
public sealed class ImageProcessor
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int ThumbSize = 70;
    public const int CardSize = 320;
    public const int FullSize = 1080;

    /// <summary>libvips decodes on its own threads; more images at once than cores only adds memory.</summary>
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);

    static ImageProcessor()
    {
        // Only the loaders libvips marks as safe for untrusted input (no ImageMagick, PDF, SVG...), and no operation cache.
        NetVips.NetVips.BlockUntrusted = true;
        Cache.Max = 0;
    }

    /// <summary>Which libvips answers: the version and where its native library was loaded from.</summary>
    public static string LibvipsVersion => $"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";

    /// <summary>jpeg, png or webp by magic number; null for anything else, whatever its name says.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF ? "jpeg"
        : head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "png"
        : head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "webp"
        : null;

    public async Task<(ProcessedImage? Image, ImageRefusal? Refusal)> ProcessAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var type = Sniff(bytes);
        if (type is null)
        {
            return (null, new ImageRefusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported image type.",
                "The file is not a JPEG, PNG or WebP image (checked by its content, not its name)."));
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            return Process(bytes, type);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static (ProcessedImage?, ImageRefusal?) Process(byte[] bytes, string type)
    {
        try
        {
            // Header only: libvips reads the dimensions without decoding pixels.
            using (var header = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential))
            {
                var loader = header.Contains("vips-loader") ? header.Get("vips-loader") as string : null;
                if (loader is null || !loader.StartsWith(type, StringComparison.Ordinal))
                {
                    return (null, new ImageRefusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported image type.", "The file's content does not match its image type."));
                }

                if ((long)header.Width * header.Height > MaxPixels)
                {
                    return (null, new ImageRefusal(StatusCodes.Status422UnprocessableEntity, "Image too large.",
                        $"The image is {header.Width}×{header.Height}; at most {MaxPixels / 1_000_000} megapixels are accepted."));
                }
            }

            return (new ProcessedImage(
                Square(bytes, ThumbSize),
                Square(bytes, CardSize),
                Save(Image.ThumbnailBuffer(bytes, FullSize, height: FullSize, size: Enums.Size.Down, failOn: Enums.FailOn.Error))), null);
        }
        catch (VipsException e)
        {
            return (null, new ImageRefusal(StatusCodes.Status422UnprocessableEntity, "Unreadable image.", "The image could not be decoded: " + FirstLine(e.Message)));
        }
    }

    private static byte[] Square(byte[] bytes, int size) =>
        Save(Image.ThumbnailBuffer(bytes, size, height: size, crop: Enums.Interesting.Centre, failOn: Enums.FailOn.Error));

    private static byte[] Save(Image image)
    {
        using (image)
        {
            return image.WebpsaveBuffer(q: 82, keep: Enums.ForeignKeep.None);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
}
