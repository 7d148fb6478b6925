using System.Collections.Concurrent;
using System.Reflection;

namespace Ahod.Messaging.Contracts;

/// <summary>Resolves the wire name (routing key) of an event type from its <see cref="IntegrationEventAttribute"/>.</summary>
public static class IntegrationEventNames
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    /// <summary>Every event of the contract (this assembly's <see cref="IntegrationEventAttribute"/> types).</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(IntegrationEvent).Assembly.GetTypes()
        .Select(type => type.GetCustomAttribute<IntegrationEventAttribute>()?.Name)
        .OfType<string>()
        .Order(StringComparer.Ordinal)];

    public static string For<TEvent>() where TEvent : IntegrationEvent => For(typeof(TEvent));

    public static string For(Type eventType) => Cache.GetOrAdd(eventType, static type =>
        type.GetCustomAttribute<IntegrationEventAttribute>()?.Name
        ?? throw new InvalidOperationException(
            $"{type.FullName} has no [IntegrationEvent(\"...\")] attribute, so it has no routing key."));
}
