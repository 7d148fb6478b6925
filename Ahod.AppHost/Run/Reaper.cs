using System.Diagnostics;

namespace Ahod.AppHost.Run;

/// <summary>
/// Guarantees no child outlives the AppHost, even under <c>kill -9</c>: a small shell in its own session
/// reads "add/del &lt;pgid&gt;" lines from a pipe only we hold. When the pipe closes (we exited, however),
/// it sends SIGTERM to every process group still listed, then SIGKILL after 10 s. Each child leads its own
/// process group (setsid), so grandchildren (beam.smp under RabbitMQ's shell, postgres backends) go too.
/// </summary>
internal sealed class Reaper : IDisposable
{
    private const string Script = """
        groups=" "
        while read -r op id; do
          case "$op" in
            add) groups="$groups$id " ;;
            del) groups=$(printf '%s' "$groups" | sed "s/ $id / /") ;;
          esac
        done
        [ -z "$(echo $groups)" ] && exit 0
        for g in $groups; do kill -TERM -$g 2>/dev/null; done
        i=0
        while [ $i -lt 50 ]; do
          alive=0
          for g in $groups; do kill -0 -$g 2>/dev/null && alive=1; done
          [ $alive = 0 ] && exit 0
          sleep 0.2; i=$((i+1))
        done
        for g in $groups; do kill -KILL -$g 2>/dev/null; done
        """;

    private readonly Process _shell;
    private readonly Lock _gate = new();

    public Reaper()
    {
        var psi = new ProcessStartInfo("setsid") { RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        _shell = Process.Start(psi) ?? throw new AppHostException("Could not start the process reaper (setsid sh).");
    }

    public void Track(int pgid) => Send($"add {pgid}");

    public void Untrack(int pgid) => Send($"del {pgid}");

    private void Send(string line)
    {
        lock (_gate)
        {
            if (!_shell.HasExited)
            {
                _shell.StandardInput.WriteLine(line);
                _shell.StandardInput.Flush();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _shell.StandardInput.Close();
        }

        _shell.WaitForExit(TimeSpan.FromSeconds(15));
        _shell.Dispose();
    }
}
