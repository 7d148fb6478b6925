using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ahod.ServiceDefaults;

/// <summary>The <c>ForwardedHeaders</c> section: who may tell this process the client's address.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>
    /// Trust <c>X-Forwarded-For</c> from loopback: in development the gateway calls every service from this machine.
    /// The gateway itself turns it off (its clients are on loopback in development and must not name themselves).
    /// </summary>
    public bool TrustLoopback { get; set; } = true;

    /// <summary>
    /// Addresses or CIDR networks (<c>10.0.0.0/8</c>) of the proxies in front: for a service, where the gateway runs;
    /// for the gateway, a load balancer that sets <c>X-Forwarded-For</c> itself.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];
}

/// <summary>
/// The client's address as every Ahod process sees it: the gateway sets <c>X-Forwarded-For</c> to the address it
/// saw (overwriting whatever the client sent), and a process takes the last entry of that header only from a
/// proxy it trusts (<see cref="ForwardedHeadersSettings"/>); <c>Connection.RemoteIpAddress</c> is then the client's.
/// </summary>
public static class ClientAddresses
{
    public static IServiceCollection AddClientAddresses(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // Only the entry the nearest proxy wrote: anything left of it was written by whoever called that proxy.
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in TrustedNetworks(settings.Value))
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Applies X-Forwarded-For from trusted proxies; does nothing when none is trusted.</summary>
    public static IApplicationBuilder UseClientAddresses(this IApplicationBuilder app)
    {
        // An empty trust list would make the middleware trust everyone: leave it out instead.
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        return TrustedNetworks(settings).Count == 0 ? app : app.UseForwardedHeaders();
    }

    public static IReadOnlyList<System.Net.IPNetwork> TrustedNetworks(ForwardedHeadersSettings settings)
    {
        var networks = new List<System.Net.IPNetwork>();
        if (settings.TrustLoopback)
        {
            networks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
            networks.Add(System.Net.IPNetwork.Parse("::1/128"));
        }

        foreach (var entry in settings.KnownProxies.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            // A bare address is a network of one.
            var text = entry.Trim();
            networks.Add(text.Contains('/', StringComparison.Ordinal)
                ? System.Net.IPNetwork.Parse(text)
                : new System.Net.IPNetwork(IPAddress.Parse(text), IPAddress.Parse(text).AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
        }

        return networks;
    }

    /// <summary>
    /// The key a limiter counts a client under: an IPv4 address, or an IPv6 /64 (one host usually owns a whole /64, so
    /// keying on the full address would let it rotate freely).
    /// </summary>
    public static string ClientKey(this HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => Prefix64(v6),
        var v4 => v4.ToString(),
    };

    private static string Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
