// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>
/// Keeps the process alive while cleanup that must not be cut short runs (a post-hook, removing a
/// filesystem snapshot). On Ctrl-C or SIGTERM, System.CommandLine cancels the command and returns
/// from Main after a short grace period whether or not the command finished; ProcessExit handlers
/// run before the process ends, so one waits here until every hold is released.
/// </summary>
internal static class ShutdownDelay
{
    // Bounds the wait even if a hold leaks: the longest cleanup is a post-hook, which has its own timeout.
    private static readonly TimeSpan s_longest = TimeSpan.FromHours(1);
    private static readonly Lock s_gate = new();
    private static readonly ManualResetEventSlim s_idle = new(initialState: true);
    private static int s_holds;
    private static bool s_registered;

    /// <summary>A hold that holds nothing, for a command with no cleanup to protect.</summary>
    public static IDisposable None { get; } = new Release { Released = true };

    /// <summary>Delays process exit until the returned hold is disposed.</summary>
    public static IDisposable Hold()
    {
        lock (s_gate)
        {
            if (!s_registered)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => s_idle.Wait(s_longest);
                s_registered = true;
            }

            s_holds++;
            s_idle.Reset();
        }

        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _released;

        public bool Released
        {
            init => _released = value ? 1 : 0;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            lock (s_gate)
            {
                if (--s_holds == 0)
                {
                    s_idle.Set();
                }
            }
        }
    }
}
