using System.Diagnostics;
using Ahod.AppHost.Observe;

namespace Ahod.AppHost.Run;

/// <summary>What to run: the binary, its arguments and environment, and optionally another OS user.</summary>
internal sealed record ChildProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    public Dictionary<string, string?> Environment { get; init; } = [];

    /// <summary>Run as this OS user (only when we are root: PostgreSQL refuses to run as root).</summary>
    public string? RunAsUser { get; init; }
}

/// <summary>
/// A child process in its own process group (setsid), its output going to the resource's log,
/// tracked by the reaper, stopped by a chosen signal then SIGKILL of the whole group.
/// </summary>
internal sealed class ChildProcess
{
    private readonly Process _process;
    private readonly Reaper _reaper;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, Reaper reaper)
    {
        _process = process;
        _reaper = reaper;
    }

    public int Pid { get; private set; }

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ChildProcess Start(ChildProcessSpec spec, string resource, ResourceLogs logs, Reaper reaper)
    {
        if (!File.Exists(spec.FileName))
        {
            throw new AppHostException($"'{resource}': {spec.FileName} not found.");
        }

        var psi = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (spec.RunAsUser is not null && Native.IsRoot)
        {
            // setpriv execs in place (the pid stays the server's); runuser/su would SIGKILL it on SIGTERM.
            foreach (var a in new[] { "setpriv", $"--reuid={spec.RunAsUser}", $"--regid={spec.RunAsUser}", "--init-groups", "--" })
            {
                psi.ArgumentList.Add(a);
            }
        }

        psi.ArgumentList.Add(spec.FileName);
        foreach (var a in spec.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in spec.Environment)
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(process, reaper);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logs.Write(resource, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logs.Write(resource, e.Data); };
        process.Exited += (_, _) =>
        {
            reaper.Untrack(child.Pid);
            child._exited.TrySetResult(SafeExitCode(process));
        };
        process.Start();
        child.Pid = process.Id;
        // setsid did not fork (our child is not a group leader), so pid == pgid.
        reaper.Track(child.Pid);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            child._exited.TrySetResult(SafeExitCode(process));
        }

        return child;
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then SIGKILLs the whole group.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (!HasExited)
        {
            Native.Signal(Pid, signal);
            await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false);
        }

        // Whatever the leader left behind (beam.smp under a shell, backends) goes with the group.
        Native.SignalGroup(Pid, Native.SIGKILL);
        if (!HasExited)
        {
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        _reaper.Untrack(Pid);
        _process.Dispose();
    }

    /// <summary>Hard kill of the group, as a crash would look (tests use it).</summary>
    public void Kill() => Native.SignalGroup(Pid, Native.SIGKILL);

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
