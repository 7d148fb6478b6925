using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ahod.Marketplace.Images;
using NetVips;

namespace Ahod.Marketplace.Tests;

public sealed class ImageTests(MarketplaceAppFixture fixture)
{
    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> UploadAsync(TestUser? user, Guid listingId, byte[] content, string fileName, string contentType = "image/jpeg", bool expectContinue = false)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/{listingId}/images") { Content = form };
        // A client that asks before sending 12 MB hears the 413 instead of a connection closed under its upload.
        request.Headers.ExpectContinue = expectContinue;
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        return _api.Client.SendAsync(request, Ct);
    }

    [Fact]
    public void NetVips_LoadsTheNuGetNativeLibrary()
    {
        // The native package ships libvips 8.18; Debian's libvips42 (8.14) would mean the NuGet one failed to load.
        ImageProcessor.LibvipsVersion.ShouldStartWith("libvips 8.18");
    }

    [Fact]
    public async Task Jpeg_WithExifAndGps_StoredInThreeSizes_WithoutAnyMetadata_ServedImmutable()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        var upload = TestImages.JpegWithGps(1600, 1200);
        using (var original = Image.NewFromBuffer(upload))
        {
            original.GetFields().ShouldContain("exif-data", "the upload carries EXIF");
            original.GetFields().ShouldContain(f => f.StartsWith("exif-ifd3-GPS"), "the upload carries GPS");
        }

        using var response = await UploadAsync(owner, listingId, upload, "holiday.jpg");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var image = await MarketApi.ReadAsync(response);
        var urls = image.GetProperty("urls");
        foreach (var (size, width, height) in new[] { ("thumb", 70, 70), ("card", 320, 320), ("full", 1080, 810) })
        {
            // Anonymous, through the gateway, like a browser loading an <img>.
            using var media = await _api.Client.GetAsync(urls.GetProperty(size).GetString(), Ct);
            media.StatusCode.ShouldBe(HttpStatusCode.OK, size);
            media.Content.Headers.ContentType?.MediaType.ShouldBe("image/webp");
            media.Headers.CacheControl?.Public.ShouldBeTrue();
            media.Headers.CacheControl?.ToString().ShouldContain("immutable");
            var bytes = await media.Content.ReadAsByteArrayAsync(Ct);
            using var stored = Image.NewFromBuffer(bytes);
            (stored.Width, stored.Height).ShouldBe((width, height), size);
            stored.GetFields().ShouldNotContain("exif-data", size);
            stored.GetFields().ShouldNotContain(f => f.StartsWith("exif-") || f == "xmp-data", size);
            Encoding.ASCII.GetString(bytes).ShouldNotContain("EXIF", Case.Sensitive, size);
        }

        var listing = await _api.GetAsync(null, $"/api/listings/{listingId}");
        listing.GetProperty("images").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(image.GetProperty("id").GetGuid());

        // Deleting it removes the files.
        var stranger = await _api.NewUserAsync(fund: 0);
        (await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{listingId}/images/{image.GetProperty("id").GetGuid()}", stranger.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _api.SendAsync(HttpMethod.Delete, $"/api/listings/{listingId}/images/{image.GetProperty("id").GetGuid()}", owner.Token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _api.Client.GetAsync(urls.GetProperty("card").GetString(), Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PngAndWebp_AreAccepted_FullKeepsTheAspect()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        using var black = Image.Black(900, 3000);
        using var png = (black + 120).Cast(Enums.BandFormat.Uchar);
        using (var response = await UploadAsync(owner, listingId, png.PngsaveBuffer(), "tall.png", "image/png"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            var full = await _api.Client.GetByteArrayAsync((await MarketApi.ReadAsync(response)).GetProperty("urls").GetProperty("full").GetString(), Ct);
            using var stored = Image.NewFromBuffer(full);
            (stored.Width, stored.Height).ShouldBe((324, 1080));
        }

        using (var response = await UploadAsync(owner, listingId, png.WebpsaveBuffer(), "photo.webp", "image/webp"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task TextFileNamedJpg_Is415()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        using var response = await UploadAsync(owner, listingId, Encoding.UTF8.GetBytes("just some text, honestly a photo\n"), "photo.jpg");
        await MarketApi.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        (await MarketApi.ScalarAsync<long>(fixture.MarketplaceDb, "SELECT count(*) FROM listing_images WHERE listing_id = $1", listingId)).ShouldBe(0L);
    }

    [Fact]
    public async Task DecompressionBomb_20000x20000PngOfKilobytes_Is4xx_BeforeDecoding()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        var bomb = TestImages.BlankPng(20_000, 20_000);
        bomb.Length.ShouldBeLessThan(1024 * 1024, "400 megapixels that compress to kilobytes");
        using var response = await UploadAsync(owner, listingId, bomb, "bomb.png", "image/png");
        await MarketApi.ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("megapixels");
        (await _api.GetAsync(null, $"/api/listings/{listingId}")).GetProperty("images").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task TwelveMegabyteBody_Is413()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        var big = new byte[12 * 1024 * 1024];
        TestImages.JpegWithGps(64, 64).CopyTo(big, 0);
        using var response = await UploadAsync(owner, listingId, big, "huge.jpg", expectContinue: true);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Upload_OnlyTheOwner_AtMostEight()
    {
        var owner = await _api.NewUserAsync(fund: 0);
        var other = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner)).GetProperty("id").GetGuid();
        var small = TestImages.JpegWithGps(40, 30);
        (await UploadAsync(null, listingId, small, "a.jpg")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await MarketApi.ShouldBeProblemAsync(await UploadAsync(other, listingId, small, "a.jpg"), HttpStatusCode.NotFound);
        for (var i = 0; i < 8; i++)
        {
            (await UploadAsync(owner, listingId, small, $"{i}.jpg")).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await MarketApi.ShouldBeProblemAsync(await UploadAsync(owner, listingId, small, "9.jpg"), HttpStatusCode.UnprocessableEntity);
        (await _api.GetAsync(null, $"/api/listings/{listingId}")).GetProperty("images").GetArrayLength().ShouldBe(8);
        Directory.GetFiles(Path.Combine(fixture.MediaDirectory, listingId.ToString()), "*.webp").Length.ShouldBe(24, "three sizes per image, none left from the refused ninth");
    }
}

/// <summary>Images made in the test, so what they hold (EXIF, GPS, dimensions) is known.</summary>
internal static class TestImages
{
    /// <summary>A JPEG from libvips with an APP1 EXIF segment (camera make and a GPS position) written in by hand.</summary>
    public static byte[] JpegWithGps(int width, int height)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var image = (black + new double[] { 200, 120, 40 }).Cast(Enums.BandFormat.Uchar);
        var jpeg = image.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.None);
        var exif = ExifWithGps();
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>"Exif\0\0" + a big-endian TIFF: IFD0 with Make and a GPS IFD pointer; the GPS IFD with latitude N 5° 33' 0".</summary>
    private static byte[] ExifWithGps()
    {
        var tiff = new List<byte>();
        void U16(int v) => tiff.AddRange([(byte)(v >> 8), (byte)v]);
        void U32(int v) => tiff.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        tiff.AddRange("MM"u8.ToArray());
        U16(42);
        U32(8);
        // IFD0 at 8: 2 entries (12 bytes each) + next-IFD pointer → ends at 8 + 2 + 24 + 4 = 38.
        U16(2);
        U16(0x010F); U16(2); U32(4); tiff.AddRange("Ahd\0"u8.ToArray());       // Make "Ahd"
        U16(0x8825); U16(4); U32(1); U32(38);                                   // GPS IFD at 38
        U32(0);
        // GPS IFD at 38: 2 entries + next pointer → ends at 38 + 2 + 24 + 4 = 68; rationals at 68.
        U16(2);
        U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray());      // GPSLatitudeRef
        U16(0x0002); U16(5); U32(3); U32(68);                                   // GPSLatitude
        U32(0);
        foreach (var (num, den) in new[] { (5, 1), (33, 1), (0, 1) })
        {
            U32(num);
            U32(den);
        }

        return [.. "Exif\0\0"u8.ToArray(), .. tiff];
    }

    /// <summary>A valid grayscale PNG of <paramref name="width"/>×<paramref name="height"/> zeros: megapixels that compress to kilobytes.</summary>
    public static byte[] BlankPng(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace 0
        Chunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[width + 1]; // filter byte 0 + the row
                for (var y = 0; y < height; y++)
                {
                    zlib.Write(row);
                }
            }

            Chunk(output, "IDAT", compressed.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        output.Write(length);
    }

    /// <summary>PNG's CRC-32 (ISO 3309) over the chunk type and data.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
