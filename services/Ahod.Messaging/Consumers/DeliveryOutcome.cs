namespace Ahod.Messaging.Consumers;

internal enum DeliveryOutcome
{
    /// <summary>Handled now or before (duplicate), or safely moved to a retry or dead-letter queue.</summary>
    Ack,

    /// <summary>Not handled and not moved: give it back to the broker.</summary>
    Requeue,
}
