using Microsoft.Extensions.Options;

namespace Ahod.Marketplace.Images;

/// <summary>Where image files live: a folder here, a blob container in a deployment, behind the same three calls.</summary>
public interface IImageStore
{
    Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The file, or null when there is none.</summary>
    Stream? OpenRead(string key);

    Task DeleteImageAsync(Guid listingId, Guid imageId, CancellationToken cancellationToken);
}

/// <summary>Files under <see cref="MarketplaceOptions.MediaDirectory"/>, written to a temporary name and renamed, so a reader never sees half a file.</summary>
public sealed class DiskImageStore(IOptions<MarketplaceOptions> options) : IImageStore
{
    private readonly string _root = Path.GetFullPath(options.Value.MediaDirectory);

    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Stream? OpenRead(string key)
    {
        try
        {
            return new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteImageAsync(Guid listingId, Guid imageId, CancellationToken cancellationToken)
    {
        foreach (var size in Listings.MediaPaths.Sizes)
        {
            File.Delete(PathOf(Listings.MediaPaths.Key(listingId, imageId, size)));
        }

        return Task.CompletedTask;
    }

    /// <summary>Keys are ours (ids and size names), but the path is still checked to stay under the root.</summary>
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The key leaves the media folder.", nameof(key));
        }

        return path;
    }
}
