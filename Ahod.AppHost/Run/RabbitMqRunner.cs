using Ahod.AppHost.Model;
using RabbitMQ.Client;

namespace Ahod.AppHost.Run;

/// <summary>
/// RabbitMQ from Debian's package with its own epmd, everything on loopback and in our folders
/// (see INFRA.md): no detached epmd on 0.0.0.0:4369 outliving us, no /etc/rabbitmq configuration.
/// </summary>
internal sealed class RabbitMqRunner(RabbitMqResource server, RunContext context) : ServerRunner<RabbitMqResource>(server, context)
{
    private ChildProcess? _epmd;

    public override string Type => "rabbitmq";

    protected override int StopSignal => Native.SIGTERM;

    protected override TimeSpan ReadyTimeout => TimeSpan.FromSeconds(60);

    protected override void AllocateMore()
    {
        var fixedPorts = Context.Options.UseFixedPorts;
        Server.DistributionPort = fixedPorts && Server.DistributionPort is { } d ? d : Ports.GetFree();
        Server.EpmdPort = fixedPorts && Server.EpmdPort is { } e ? e : Ports.GetFree();
    }

    protected override async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var dir = Context.DataDirectory(Server.Name);
        var home = Path.Combine(dir, "home");
        foreach (var sub in new[] { home, Path.Combine(dir, "mnesia"), Path.Combine(dir, "log") })
        {
            Directory.CreateDirectory(sub);
        }

        Ports.EnsureFree(Server.DistributionPort!.Value, Server.Name);
        Ports.EnsureFree(Server.EpmdPort!.Value, Server.Name + " (epmd)");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var config = Path.Combine(dir, "rabbitmq.conf");
        await File.WriteAllTextAsync(config, $"""
            listeners.tcp.default = 127.0.0.1:{Server.Port!.Value.ToString(inv)}
            log.console = true
            log.console.level = warning
            log.file = false
            loopback_users = none
            """, cancellationToken).ConfigureAwait(false);
        var plugins = Path.Combine(dir, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken).ConfigureAwait(false);

        var epmdPort = Server.EpmdPort.Value.ToString(inv);
        // epmd first, as our child in the foreground: otherwise Erlang spawns a detached one.
        _epmd = ChildProcess.Start(
            new ChildProcessSpec(ServerBinaries.Epmd(), ["-port", epmdPort, "-address", "127.0.0.1"], dir),
            Server.Name, Context.Logs, Context.Reaper);

        Dictionary<string, string?> env = new()
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = $"{Server.Name}-{Server.Port.Value.ToString(inv)}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Server.Port.Value.ToString(inv),
            ["RABBITMQ_DIST_PORT"] = Server.DistributionPort.Value.ToString(inv),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_DEFAULT_USER"] = RabbitMqResource.UserName,
            ["RABBITMQ_DEFAULT_PASS"] = Server.Password,
            ["ERL_EPMD_PORT"] = epmdPort,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_CTL_ERL_ARGS"] = "-start_epmd false",
        };
        Process = ChildProcess.Start(new ChildProcessSpec(ServerBinaries.RabbitMq(), [], dir) { Environment = env }, Server.Name, Context.Logs, Context.Reaper);
    }

    /// <summary>A real AMQP login with the generated user, not just an open port.</summary>
    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(Server.GetConnectionString()),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        return connection.IsOpen;
    }

    protected override async Task StopMoreAsync()
    {
        if (_epmd is not null)
        {
            await _epmd.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            _epmd = null;
        }
    }
}
