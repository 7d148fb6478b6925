using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ahod.Messaging.Diagnostics;

/// <summary>
/// The <c>Ahod.Messaging</c> ActivitySource and Meter. ServiceDefaults subscribes to them by name
/// (<c>AddSource("Ahod.Messaging")</c>, <c>AddMeter("Ahod.Messaging")</c>).
/// </summary>
public static class MessagingTelemetry
{
    public const string Name = "Ahod.Messaging";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Published =
        Meter.CreateCounter<long>("ahod.messaging.published", "{message}", "Events confirmed by the broker.");

    internal static readonly Counter<long> PublishFailed =
        Meter.CreateCounter<long>("ahod.messaging.publish_failed", "{message}", "Outbox rows whose publish failed and stay for a later attempt.");

    internal static readonly Counter<long> Consumed =
        Meter.CreateCounter<long>("ahod.messaging.consumed", "{message}", "Deliveries by outcome: handled, duplicate, retried, dead_lettered, requeued.");

    internal static readonly Histogram<double> HandleDuration =
        Meter.CreateHistogram<double>("ahod.messaging.handle.duration", "s", "Time to run the handlers and commit the inbox record.");
}
