using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <param name="Mandatory">
/// True when the message must reach a queue (retry, dead-letter): an unroutable one then fails
/// the publish instead of vanishing. Events on the topic exchange are not mandatory, since having
/// no subscriber yet is normal.
/// </param>
internal sealed record OutgoingMessage(
    string Exchange,
    string RoutingKey,
    BasicProperties Properties,
    ReadOnlyMemory<byte> Body,
    bool Mandatory);
