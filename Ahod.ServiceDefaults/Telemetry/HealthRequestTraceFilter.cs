using System.Diagnostics;
using OpenTelemetry;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Drops spans of health probes: orchestrators poll /health and /alive every few seconds and
/// those spans would drown the real traffic. Runs before the exporters, which skip unrecorded activities.
/// </summary>
internal sealed class HealthRequestTraceFilter : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == RequestActivityTags.HostingSourceName
            && data.GetTagItem(RequestActivityTags.UrlPath) is string path
            && HealthEndpoints.IsHealthPath(path))
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
