using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ahod.ServiceDefaults;

/// <summary>Names and instances for Ahod's own traces and metrics; services name theirs "Ahod.&lt;Service&gt;".</summary>
public static class AhodTelemetry
{
    public const string Name = "Ahod";

    /// <summary>The wildcard the providers listen to, so a service's own "Ahod.Payments" source needs no registration.</summary>
    public const string Wildcard = "Ahod.*";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
