using System.Collections.Concurrent;

namespace Ahod.AppHost.Observe;

/// <summary>Each resource's output: a file under <c>{state}/logs/</c>, the console with the resource's
/// name in front, and the last lines in memory (tests read them when something fails).</summary>
public sealed class ResourceLogs : IDisposable
{
    private const int Kept = 400;
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Magenta, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkMagenta];

    private readonly string _directory;
    private readonly bool _console;
    private readonly ConcurrentDictionary<string, Sink> _sinks = new(StringComparer.Ordinal);
    private readonly Lock _consoleGate = new();
    private int _width = 8;

    public ResourceLogs(string directory, bool console)
    {
        _directory = directory;
        _console = console;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Serialises console writes (the live table shares the console).</summary>
    internal Lock ConsoleGate => _consoleGate;

    public void Write(string resource, string line)
    {
        var sink = _sinks.GetOrAdd(resource, name =>
        {
            _width = Math.Max(_width, name.Length);
            return new Sink(Path.Combine(_directory, name + ".log"), Palette[_sinks.Count % Palette.Length]);
        });
        sink.Append(line);
        if (_console)
        {
            lock (_consoleGate)
            {
                Console.ForegroundColor = sink.Color;
                Console.Write(resource.PadRight(_width));
                Console.ResetColor();
                Console.Write(" | ");
                Console.WriteLine(line);
            }
        }
    }

    public IReadOnlyList<string> Tail(string resource) =>
        _sinks.TryGetValue(resource, out var sink) ? sink.Snapshot() : [];

    public string PathOf(string resource) => Path.Combine(_directory, resource + ".log");

    public void Dispose()
    {
        foreach (var sink in _sinks.Values)
        {
            sink.Dispose();
        }
    }

    private sealed class Sink(string path, ConsoleColor color) : IDisposable
    {
        private readonly StreamWriter _file = new(path, append: true) { AutoFlush = true };
        private readonly Queue<string> _recent = new();

        public ConsoleColor Color { get; } = color;

        public void Append(string line)
        {
            lock (_recent)
            {
                _file.WriteLine($"{DateTimeOffset.Now:HH:mm:ss.fff} {line}");
                _recent.Enqueue(line);
                if (_recent.Count > Kept)
                {
                    _recent.Dequeue();
                }
            }
        }

        public IReadOnlyList<string> Snapshot()
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }

        public void Dispose()
        {
            lock (_recent)
            {
                _file.Dispose();
            }
        }
    }
}
