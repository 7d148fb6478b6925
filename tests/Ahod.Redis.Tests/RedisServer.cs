using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ahod.Redis.Tests;

/// <summary>
/// A real redis-server process on a free loopback port with a random password and no
/// persistence. Stop and start again keep the port, which the reconnect test relies on.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port, string password)
    {
        Port = port;
        Password = password;
        _directory = Directory.CreateTempSubdirectory("ahod-redis-test-").FullName;
    }

    public int Port { get; }

    public string Password { get; }

    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(FindFreePort(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await server.StartAsync();
        return server;
    }

    /// <summary>A loopback port nothing listens on, for "server is down" tests.</summary>
    public static int FindFreePort()
    {
        // 61000-64000 stays clear of the kernel's ephemeral range (32768-60999), so an outgoing
        // connection cannot be holding the port we pick.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(61000, 64001);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // In use; try another.
            }
        }

        throw new InvalidOperationException("No free port found in 61000-64000.");
    }

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--requirepass", Password,
                     "--appendonly", "no", "--save", "", "--daemonize", "no",
                     // DEBUG SLEEP lets a test hold a reply back while the server is killed.
                     "--enable-debug-command", "local",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitForPingAsync(process);
    }

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits with a raw socket, not the client under test, so a client bug cannot look like a server that did not start.</summary>
    private async Task WaitForPingAsync(Process process)
    {
        var request = Encoding.ASCII.GetBytes(
            $"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n*1\r\n$4\r\nPING\r\n");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync(request);
                var buffer = new byte[256];
                var received = new StringBuilder();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                while (!received.ToString().Contains("+PONG"))
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (received.ToString().Contains("+PONG"))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING. Output:\n{output}");
    }
}
