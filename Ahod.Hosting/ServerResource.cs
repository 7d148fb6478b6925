using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Ahod.Hosting;

/// <summary>
/// A server from Debian's packages run by DCP as an executable (through a small script in <c>scripts/</c>), with a
/// connection string built from its endpoint and a generated secret password, the way Aspire's container resources
/// build theirs.
/// </summary>
public abstract class LocalServerResource(string name, string script, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "/bin/bash", workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    internal string ScriptPath { get; } = script;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    /// <summary>Always the IPv4 loopback: the servers listen on 127.0.0.1 only.</summary>
    protected EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.IPV4Host);

    protected EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}

/// <summary>PostgreSQL 15 from Debian, run as the <c>postgres</c> OS user when the AppHost is root.</summary>
public sealed class LocalPostgresResource(string name, string script, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, script, workingDirectory, password)
{
    public const string UserName = "postgres";

    internal Dictionary<string, string> Databases { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host={Host};Port={Port};Username={UserName};Password={PasswordParameter}");
}

/// <summary>A database on a <see cref="LocalPostgresResource"/>, created when the server is first ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>Redis 7 from Debian with a password and an append-only file.</summary>
public sealed class LocalRedisResource(string name, string script, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, script, workingDirectory, password)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Host}:{Port},password={PasswordParameter}");
}

/// <summary>RabbitMQ 3.10 from Debian, with its own epmd (never a detached one on the default port).</summary>
public sealed class LocalRabbitMQResource(string name, string script, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, script, workingDirectory, password)
{
    public const string UserName = "ahod";

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{UserName}:{PasswordParameter}@{Host}:{Port}");
}
