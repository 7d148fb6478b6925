namespace Ahod.AppHost.Model;

/// <summary>A server the AppHost runs as a child process unless configuration gives its connection string.</summary>
public abstract class ServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    /// <summary>Set when <c>ConnectionStrings:{Name}</c> is configured: nothing is started, this string is used.</summary>
    public string? ExternalConnectionString { get; internal set; }

    public bool IsExternal => ExternalConnectionString is not null;

    /// <summary>Fixed port when set (development); otherwise a free one is picked at start.</summary>
    public int? Port { get; set; }

    public string Host { get; internal set; } = "127.0.0.1";

    public string Password { get; internal set; } = "";

    public abstract string ConnectionStringExpression { get; }

    public abstract string GetConnectionString();

    /// <summary>The Debian package that provides the server binary (named in "not installed" errors).</summary>
    public abstract string Package { get; }

    /// <summary>The container image a deployment would use (the manifest's <c>container.v0</c>).</summary>
    public abstract string Image { get; }

    public abstract int ContainerPort { get; }
}

public sealed class PostgresServerResource(string name) : ServerResource(name)
{
    public const string UserName = "postgres";

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public override string Package => "postgresql";

    public override string Image => "docker.io/library/postgres:15";

    public override int ContainerPort => 5432;

    public override string GetConnectionString() =>
        ExternalConnectionString ?? $"Host={Host};Port={Port};Username={UserName};Password={Password}";

    public override string ConnectionStringExpression =>
        $"Host={{{Name}.bindings.tcp.host}};Port={{{Name}.bindings.tcp.port}};Username={UserName};Password={{{Name}-password.value}}";
}

public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server)
    : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = server;

    public override Resource Parent => Server;

    /// <summary>Set when <c>ConnectionStrings:{Name}</c> is configured for the database itself.</summary>
    public string? ExternalConnectionString { get; internal set; }

    public string GetConnectionString() =>
        ExternalConnectionString ?? $"{Server.GetConnectionString().TrimEnd(';')};Database={DatabaseName}";

    public string ConnectionStringExpression => $"{{{Server.Name}.connectionString}};Database={DatabaseName}";
}

public sealed class RedisResource(string name) : ServerResource(name)
{
    public override string Package => "redis-server";

    public override string Image => "docker.io/library/redis:7";

    public override int ContainerPort => 6379;

    public override string GetConnectionString() => ExternalConnectionString ?? $"{Host}:{Port},password={Password}";

    public override string ConnectionStringExpression =>
        $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}},password={{{Name}-password.value}}";
}

public sealed class RabbitMqResource(string name) : ServerResource(name)
{
    public const string UserName = "ahod";

    /// <summary>Erlang distribution and epmd ports; fixed in development, free ones otherwise.</summary>
    public int? DistributionPort { get; set; }

    public int? EpmdPort { get; set; }

    public override string Package => "rabbitmq-server";

    public override string Image => "docker.io/library/rabbitmq:3-management";

    public override int ContainerPort => 5672;

    public override string GetConnectionString() =>
        ExternalConnectionString ?? $"amqp://{UserName}:{Uri.EscapeDataString(Password)}@{Host}:{Port}";

    public override string ConnectionStringExpression =>
        $"amqp://{UserName}:{{{Name}-password.value}}@{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}}";
}
