using System.Text;

namespace Ahod.AppHost.Observe;

/// <summary>The live resource table: printed again (debounced) whenever a resource changes state or health.</summary>
internal sealed class ConsoleDashboard : IDisposable
{
    private readonly ResourceNotifications _notifications;
    private readonly ResourceLogs _logs;
    private readonly Timer _timer;
    private int _pending;

    public ConsoleDashboard(ResourceNotifications notifications, ResourceLogs logs)
    {
        _notifications = notifications;
        _logs = logs;
        _timer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
        notifications.Changed += _ =>
        {
            if (Interlocked.Exchange(ref _pending, 1) == 0)
            {
                _timer.Change(300, Timeout.Infinite);
            }
        };
    }

    public void Flush()
    {
        Interlocked.Exchange(ref _pending, 0);
        var table = Render(_notifications.All());
        lock (_logs.ConsoleGate)
        {
            Console.Write(table);
        }
    }

    public static string Render(IReadOnlyList<ResourceSnapshot> rows)
    {
        string[] headers = ["RESOURCE", "TYPE", "STATE", "HEALTH", "PID", "ENDPOINT", "RESTARTS"];
        var cells = rows.Select(r => new[]
        {
            r.Name, r.Type, r.State.ToString(), r.Health.ToString(),
            r.Pids.Count == 0 ? "-" : string.Join(",", r.Pids), r.Endpoint ?? "-", r.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        sb.AppendLine(rule);
        sb.AppendLine("| " + string.Join(" | ", headers.Select((h, i) => h.PadRight(widths[i]))) + " |");
        sb.AppendLine(rule);
        foreach (var row in cells)
        {
            sb.AppendLine("| " + string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))) + " |");
        }

        sb.AppendLine(rule);
        return sb.ToString();
    }

    public void Dispose() => _timer.Dispose();
}
