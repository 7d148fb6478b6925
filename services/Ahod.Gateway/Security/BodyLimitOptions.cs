namespace Ahod.Gateway.Security;

public sealed class BodyLimitOptions
{
    /// <summary>JSON APIs: nothing legitimate comes near 1 MB.</summary>
    public long DefaultBytes { get; set; } = 1024 * 1024;

    /// <summary>Listing images only.</summary>
    public long UploadBytes { get; set; } = 10 * 1024 * 1024;
}
