namespace Ahod.Messaging.Contracts;

/// <summary>
/// Names an event on the wire: the routing key on the topic exchange and the AMQP <c>type</c>
/// property. Kept apart from the CLR type name so classes can be renamed without breaking consumers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
