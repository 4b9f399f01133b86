// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Format.Crypto;

/// <summary>
/// A clock that counts the CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID), for calibrating
/// key derivation: what a guess costs an attacker is CPU time, and wall time on a busy machine would
/// count other processes' turns too and give a weaker key (p = 1 on a loaded CI machine).
/// </summary>
public sealed partial class ProcessCpuClock : TimeProvider
{
    private const int ClockProcessCpuTime = 2;

    private ProcessCpuClock()
    {
    }

    public static ProcessCpuClock Instance { get; } = new();

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp()
    {
        if (clock_gettime(ClockProcessCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
