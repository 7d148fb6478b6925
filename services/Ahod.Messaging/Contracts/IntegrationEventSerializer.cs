using System.Text.Json;

namespace Ahod.Messaging.Contracts;

/// <summary>The one wire format for events: camelCase JSON, shared by the outbox and the consumers.</summary>
public static class IntegrationEventSerializer
{
    /// <remarks>
    /// Strict on read: a missing constructor field or a null in a non-nullable one is a malformed
    /// message (it goes to the dead-letter queue) rather than an event full of defaults.
    /// </remarks>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Serializes with the runtime type, so a derived record's own fields are never dropped.</summary>
    public static string Serialize(IntegrationEvent integrationEvent) =>
        JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), Options);

    public static IntegrationEvent Deserialize(ReadOnlySpan<byte> utf8Json, Type eventType) =>
        JsonSerializer.Deserialize(utf8Json, eventType, Options) as IntegrationEvent
        ?? throw new JsonException($"The payload is not a {eventType.Name}.");
}
