namespace Ahod.ServiceDefaults;

/// <summary>What we listen to. The built-in sources stand in for the instrumentation packages we cannot use.</summary>
internal static class TelemetrySources
{
    public static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        AhodTelemetry.Name,
        AhodTelemetry.Wildcard,
    ];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        AhodTelemetry.Name,
        AhodTelemetry.Wildcard,
    ];
}
