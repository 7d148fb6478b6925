using Ahod.Messaging.Tests.Infrastructure;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(MessagingFixture))]

namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>One PostgreSQL and one RabbitMQ for the whole run; each test isolates itself in its own schema, exchange and queues.</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    private TestApp? _app;

    public string PostgresConnectionString { get; private set; } = "";

    public string RabbitMqConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(["postgres", "rabbitmq"], cancellationToken: TestContext.Current.CancellationToken);
        PostgresConnectionString = await _app.CreateDatabaseAsync("messagingtestdb", TestContext.Current.CancellationToken);
        RabbitMqConnectionString = _app.GetConnectionString("rabbitmq");
    }

    public Task StopRabbitMqAsync(CancellationToken cancellationToken) => App.StopResourceAsync("rabbitmq", cancellationToken);

    public Task StartRabbitMqAsync(CancellationToken cancellationToken) => App.StartResourceAsync("rabbitmq", cancellationToken);

    private TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
