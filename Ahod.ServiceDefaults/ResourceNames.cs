namespace Ahod.ServiceDefaults;

/// <summary>
/// The app model's resource names, shared by the AppHost, the services and the tests. A name becomes
/// <c>ConnectionStrings__{name}</c> (servers, databases) or <c>services__{name}__http__0</c> (services).
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Redis = "redis";
    public const string RabbitMq = "rabbitmq";

    public const string IdentityDb = "identitydb";
    public const string PaymentsDb = "paymentsdb";
    public const string SavingsDb = "savingsdb";
    public const string MarketplaceDb = "marketplacedb";
    public const string ChatDb = "chatdb";

    public const string Gateway = "gateway";
    public const string Identity = "identity";
    public const string Payments = "payments";
    public const string Savings = "savings";
    public const string Marketplace = "marketplace";
    public const string Web = "web";
    public const string Chat = "chat";
}
