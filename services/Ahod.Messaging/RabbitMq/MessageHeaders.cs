namespace Ahod.Messaging.RabbitMq;

/// <summary>AMQP header names this library reads and writes.</summary>
public static class MessageHeaders
{
    /// <summary>Which delivery attempt this is (1 on first delivery); drives retry and dead-lettering.</summary>
    public const string Attempt = "x-ahod-attempt";

    /// <summary>Why a message is in the dead-letter queue: <c>handler-failed</c>, <c>malformed</c> or <c>unknown-event</c>.</summary>
    public const string DeadLetterReason = "x-ahod-dead-letter-reason";

    public const string ErrorType = "x-ahod-error-type";
    public const string ErrorMessage = "x-ahod-error-message";
    public const string ErrorStackTrace = "x-ahod-error-stack-trace";
    public const string DeadLetteredAt = "x-ahod-dead-lettered-at";
    public const string OriginalRoutingKey = "x-ahod-original-routing-key";

    /// <summary>W3C trace context, so a consumer's span joins the trace of the request that wrote the event.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
}
