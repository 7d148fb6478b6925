using System.ComponentModel.DataAnnotations;

namespace Ahod.Messaging;

/// <summary>Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>The topic exchange every service publishes to.</summary>
    [Required, RegularExpression(NamePattern)]
    public string Exchange { get; set; } = "ahod.events";

    /// <summary>
    /// The consuming service (e.g. <c>payments</c>): names its queues and is the consumer in the inbox.
    /// Required only when the service handles events.
    /// </summary>
    [RegularExpression(NamePattern)]
    public string? ServiceName { get; set; }

    /// <summary><c>quorum</c> (replicated, poison-safe delivery limit) or <c>classic</c>.</summary>
    [Required, RegularExpression("^(quorum|classic)$")]
    public string QueueType { get; set; } = "quorum";

    /// <summary>How many times a handler may run for one event before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Delay before retry n (the last one repeats when there are more retries than delays). Empty means
    /// 1 s, 5 s, 30 s, 2 min: the default lives outside the property because the configuration binder
    /// appends to an array instead of replacing it.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>Unacknowledged deliveries the broker may push ahead of the handler.</summary>
    [Range(1, 1000)]
    public ushort Prefetch { get; set; } = 32;

    /// <summary>Deliveries handled at once; 1 keeps events in publish order on the happy path.</summary>
    [Range(1, 64)]
    public ushort ConsumerConcurrency { get; set; } = 1;

    /// <summary>Outbox rows the relay locks and publishes per round trip.</summary>
    [Range(1, 5000)]
    public int RelayBatchSize { get; set; } = 100;

    /// <summary>
    /// How often the relay sweeps the table for rows it was not told of: other processes' rows, failed publishes. Rows this
    /// process commits wake it at once.
    /// </summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest the relay waits between attempts while RabbitMQ is unreachable.</summary>
    public TimeSpan RelayMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Until the relay or the consumer first succeeds (a service starting while RabbitMQ or PostgreSQL still boots), the
    /// longest it waits between attempts: a service is ready within this long of the broker.
    /// </summary>
    public TimeSpan StartMaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Published outbox rows older than this are deleted; the inbox on the consumer side keeps de-duplication.</summary>
    public TimeSpan ProcessedOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    internal const string NamePattern = "^[a-z0-9][a-z0-9._-]*$";

    private static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    internal IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays.Length > 0 ? RetryDelays : DefaultRetryDelays;

    internal TimeSpan RetryDelayFor(int failedAttempt)
    {
        var delays = EffectiveRetryDelays;
        return delays[Math.Clamp(failedAttempt - 1, 0, delays.Count - 1)];
    }
}
