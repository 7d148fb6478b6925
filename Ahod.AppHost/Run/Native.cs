using System.Runtime.InteropServices;

namespace Ahod.AppHost.Run;

/// <summary>The few libc calls .NET does not expose: Process.Kill is SIGKILL only.</summary>
internal static partial class Native
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    public static bool IsRoot => GetEuid() == 0;

    /// <summary>Signals one process; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && SysKill(pid, signal) == 0;

    /// <summary>Signals every process of a process group (our children lead their own, via setsid).</summary>
    public static bool SignalGroup(int pgid, int signal) => pgid > 1 && SysKill(-pgid, signal) == 0;
}
