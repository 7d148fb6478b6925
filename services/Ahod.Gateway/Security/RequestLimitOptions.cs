namespace Ahod.Gateway.Security;

/// <summary>
/// The <c>Gateway:RequestLimits</c> section: how long a URI and how large the headers may be. The gateway answers
/// past these with 414/431 ProblemDetails; Kestrel's own limits are set <see cref="KestrelHeadroom"/> times higher, so
/// only a request past those (which Kestrel refuses while parsing, before any middleware, with an empty body) gets
/// Kestrel's bare answer.
/// </summary>
public sealed class RequestLimitOptions
{
    public const int KestrelHeadroom = 4;

    /// <summary>Path and query as sent. Services behind have Kestrel's 8 KB request line, method and version included.</summary>
    public int MaxUriBytes { get; set; } = 8_000;

    /// <summary>Names and values of all headers together: cookies and a token fit many times over.</summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    public int MaxHeaderCount { get; set; } = 100;
}
