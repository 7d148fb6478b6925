using System.Globalization;
using System.Text.RegularExpressions;

namespace Ahod.Bench;

/// <summary>What marks a process as this benchmark's: the checkout it runs from, the state folder of its app.</summary>
internal static class OurPaths
{
    public static string Checkout { get; } = Find();

    public static string? State { get; set; }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ahod.sln")))
            {
                return dir.FullName + "/";
            }
        }

        return AppContext.BaseDirectory;
    }
}

/// <summary>
/// CPU seconds (user + system) of this process and its descendants, grouped by what they are, plus everything
/// else on the machine: the servers are our children, so other work on the box shows up as "other".
/// </summary>
internal sealed partial class CpuSample
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>A bench's own processes, by a word of their command line, checked before the usual groups.</summary>
    public static List<(string Marker, string Group)> Groups { get; } = [];

    private readonly Dictionary<int, (string Group, long Ticks)> _processes = [];
    private long _machineBusyTicks;

    public static CpuSample Take()
    {
        var sample = new CpuSample();
        var stats = new Dictionary<int, (int Parent, string Command, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var command = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // After "pid (comm) ": state ppid ... utime is the 14th field of the line, stime the 15th.
                stats[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), command,
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }

        // DCP runs detached, so the app's processes are not our descendants: they are ours when they or an ancestor
        // run from this checkout or from this run's state folder (PostgreSQL's backends descend from its postmaster).
        var self = Environment.ProcessId;
        var roots = new Dictionary<int, bool>();
        bool IsRoot(int pid)
        {
            if (!roots.TryGetValue(pid, out var root))
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                    root = pid == self || commandLine.Contains(OurPaths.Checkout, StringComparison.Ordinal)
                        || (OurPaths.State is { } state && commandLine.Contains(state, StringComparison.Ordinal));
                }
                catch (IOException)
                {
                }

                roots[pid] = root;
            }

            return root;
        }

        foreach (var (pid, (_, command, ticks)) in stats)
        {
            var ours = false;
            for (var p = pid; p > 1 && stats.ContainsKey(p); p = stats[p].Parent)
            {
                if (IsRoot(p))
                {
                    ours = true;
                    break;
                }
            }

            sample._processes[pid] = (ours ? Classify(pid, command, self) : "other (not this benchmark)", ticks);
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        sample._machineBusyTicks = cpu.Sum() - cpu[3] - cpu[4]; // all but idle and iowait
        return sample;
    }

    /// <summary>CPU seconds per group between <paramref name="before"/> and this sample; "machine total" is everything busy.</summary>
    public Dictionary<string, double> Minus(CpuSample before)
    {
        var groups = new Dictionary<string, double>();
        foreach (var (pid, (group, ticks)) in _processes)
        {
            var delta = ticks - (before._processes.TryGetValue(pid, out var old) && old.Group == group ? old.Ticks : 0);
            groups[group] = groups.GetValueOrDefault(group) + delta / TicksPerSecond;
        }

        groups["machine total"] = (_machineBusyTicks - before._machineBusyTicks) / TicksPerSecond;
        return groups;
    }

    /// <summary>
    /// One line per group, busiest first: its share of one core over <paramref name="elapsed"/> and its CPU per unit of
    /// work (<paramref name="count"/> units, e.g. requests answered or messages sent).
    /// </summary>
    public static void Print(Dictionary<string, double> cpu, TimeSpan elapsed, long count, string unit)
    {
        foreach (var (group, cpuSeconds) in cpu.OrderByDescending(c => c.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {group,-28} {100 * cpuSeconds / elapsed.TotalSeconds,6:0}%  {1e6 * cpuSeconds / Math.Max(1, count),8:0} {unit}"));
        }
    }

    /// <summary>The command line of this bench's process whose command line contains <paramref name="marker"/>.</summary>
    public static string? CommandLineOf(string marker)
    {
        var sample = Take();
        foreach (var (pid, (group, _)) in sample._processes)
        {
            if (group == "other (not this benchmark)")
            {
                continue;
            }

            // DCP runs each project's build output (bin/<configuration>/...): that line says which build runs.
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                if (commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    return commandLine;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    private static string Classify(int pid, string command, int self)
    {
        if (pid == self)
        {
            return "bench client + app host";
        }

        if (command is "dcp" or "dcpctrl" or "dcpproc")
        {
            return "aspire dcp";
        }

        string commandLine;
        try
        {
            commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            commandLine = command;
        }

        foreach (var (marker, group) in Groups)
        {
            if (commandLine.Contains(marker, StringComparison.Ordinal))
            {
                return group;
            }
        }

        return commandLine switch
        {
            _ when ServiceName().Match(commandLine) is { Success: true } service => service.Groups[1].Value.ToLowerInvariant(),
            _ when command == "postgres" => "postgres",
            _ when command == "pgbench" => "pgbench",
            _ when command.StartsWith("redis", StringComparison.Ordinal) => "redis",
            _ when command is "beam.smp" or "epmd" or "erl_child_setup" or "inet_gethost" || commandLine.Contains("rabbit", StringComparison.Ordinal) => "rabbitmq",
            _ => command,
        };
    }

    /// <summary>A service runs from its build output (services/Ahod.Chat/bin/...): its group is "chat".</summary>
    [GeneratedRegex(@"/Ahod\.(\w+)(?:\.csproj|/bin/|\s|$)")]
    private static partial Regex ServiceName();
}
