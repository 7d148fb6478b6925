namespace Ahod.AppHost;

/// <summary>Resource names: they become <c>ConnectionStrings__{name}</c> and <c>services__{name}__http__0</c>.</summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Redis = "redis";
    public const string RabbitMq = "rabbitmq";
}
