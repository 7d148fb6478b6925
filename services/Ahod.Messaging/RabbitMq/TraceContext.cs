using System.Diagnostics;
using System.Text;

namespace Ahod.Messaging.RabbitMq;

/// <summary>W3C trace-context propagation through AMQP headers.</summary>
internal static class TraceContext
{
    public static void Inject(Activity? activity, IDictionary<string, object?> headers)
    {
        if (activity?.IdFormat != ActivityIdFormat.W3C || activity.Id is null)
        {
            return;
        }

        headers[MessageHeaders.TraceParent] = Encoding.UTF8.GetBytes(activity.Id);
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers[MessageHeaders.TraceState] = Encoding.UTF8.GetBytes(activity.TraceStateString);
        }
    }

    public static ActivityContext Extract(IDictionary<string, object?>? headers) =>
        Parse(HeaderValues.GetString(headers, MessageHeaders.TraceParent), HeaderValues.GetString(headers, MessageHeaders.TraceState));

    public static ActivityContext Parse(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : default;
}
