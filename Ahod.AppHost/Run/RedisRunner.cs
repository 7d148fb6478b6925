using System.Net.Sockets;
using System.Text;
using Ahod.AppHost.Model;

namespace Ahod.AppHost.Run;

/// <summary>redis-server from Debian's package, loopback only, password required, append-only file for durability.</summary>
internal sealed class RedisRunner(RedisResource server, RunContext context) : ServerRunner<RedisResource>(server, context)
{
    public override string Type => "redis";

    protected override int StopSignal => Native.SIGTERM;

    protected override Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var dir = Context.DataDirectory(Server.Name);
        Process = ChildProcess.Start(
            new ChildProcessSpec(
                ServerBinaries.Redis(),
                [
                    "--port", Server.Port!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                    "--dir", dir, "--requirepass", Server.Password, "--daemonize", "no", "--protected-mode", "yes",
                    "--appendonly", Context.Options.Ephemeral ? "no" : "yes", "--appendfsync", "everysec",
                    "--save", Context.Options.Ephemeral ? "" : "3600 1 300 100 60 10000",
                ],
                dir),
            Server.Name, Context.Logs, Context.Reaper);
        return Task.CompletedTask;
    }

    /// <summary>A real login: AUTH then PING must answer +OK and +PONG.</summary>
    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var (host, port, password) = Parse(Server.GetConnectionString());
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = password is null ? "PING\r\n" : $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
        var expected = password is null ? "+PONG\r\n" : "+OK\r\n+PONG\r\n";
        var buffer = new byte[256];
        var received = new StringBuilder();
        while (received.Length < expected.Length)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return received.ToString() == expected;
    }

    private static (string Host, int Port, string? Password) Parse(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpoint = parts[0];
        var colon = endpoint.LastIndexOf(':');
        var host = colon > 0 ? endpoint[..colon] : endpoint;
        var port = colon > 0 ? int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 6379;
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(kv => kv[0].Equals("password", StringComparison.OrdinalIgnoreCase))?[1];
        return (host, port, password);
    }
}
