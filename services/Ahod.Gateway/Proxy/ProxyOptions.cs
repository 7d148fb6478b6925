namespace Ahod.Gateway.Proxy;

public sealed class ProxyOptions
{
    /// <summary>How long a service may take to send its response headers before the caller gets a 504.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
