// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>
/// Keeps the process alive while cleanup that must not be cut short runs (a post-hook, removing a
/// filesystem snapshot). On Ctrl-C or SIGTERM, System.CommandLine cancels the command and returns
/// from Main after a short grace period whether or not the command finished; ProcessExit handlers
/// run before the process ends, so one waits here until every hold is released. A command stuck in
/// a read that ignores cancellation (a backup of standard input) would never release its holds, so
/// the command gets <see cref="s_commandGrace"/> more, and then each hold's clean-up runs from here,
/// bounded by its own timeout.
/// </summary>
internal static class ShutdownDelay
{
    // What a cancelled command gets, after System.CommandLine's own grace, to reach its clean-up itself.
    private static readonly TimeSpan s_commandGrace = TimeSpan.FromSeconds(3);

    // Beyond a clean-up's own timeout: starting the programs it runs and reporting on them.
    private static readonly TimeSpan s_cleanUpSlack = TimeSpan.FromSeconds(30);

    private static readonly Lock s_gate = new();
    private static readonly ManualResetEventSlim s_idle = new(initialState: true);
    private static readonly List<ShutdownHold> s_holds = [];
    private static bool s_registered;

    /// <summary>A hold that holds nothing, for a command with no cleanup to protect.</summary>
    public static ShutdownHold None { get; } = new(TimeSpan.Zero, released: true);

    /// <summary>
    /// Delays process exit until the returned hold is disposed. <paramref name="cleanUpTimeout"/> bounds
    /// the hold's <see cref="ShutdownHold.CleanUp"/> when it has to be run at exit.
    /// </summary>
    public static ShutdownHold Hold(TimeSpan cleanUpTimeout)
    {
        var hold = new ShutdownHold(cleanUpTimeout, released: false);
        lock (s_gate)
        {
            if (!s_registered)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => WaitForCleanUp();
                s_registered = true;
            }

            s_holds.Add(hold);
            s_idle.Reset();
        }

        return hold;
    }

    internal static void Released(ShutdownHold hold)
    {
        lock (s_gate)
        {
            if (s_holds.Remove(hold) && s_holds.Count == 0)
            {
                s_idle.Set();
            }
        }
    }

    private static void WaitForCleanUp()
    {
        if (s_idle.Wait(s_commandGrace))
        {
            return;
        }

        ShutdownHold[] pending;
        lock (s_gate)
        {
            pending = [.. s_holds];
        }

        // A clean-up the command already started is the same task (the scopes run theirs once), so this
        // also waits for a post-hook that is still running.
        var cleanUps = pending.Select(hold => RunCleanUpAsync(hold)).ToArray();
        var longest = pending.Max(hold => hold.CleanUpTimeout) + s_cleanUpSlack;
        Task.WhenAll(cleanUps).Wait(longest);
        // A hold with no clean-up of its own yet (a pre-hook being stopped) is released by the command.
        s_idle.Wait(longest);
    }

    private static async Task RunCleanUpAsync(ShutdownHold hold)
    {
        if (hold.CleanUp is not { } cleanUp)
        {
            return;
        }

        try
        {
            await cleanUp().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The process is ending; all that is left to do with a failed clean-up is to say so.
            await Console.Error.WriteLineAsync($"Fatal: clean-up at exit failed: {error.Message}").ConfigureAwait(false);
        }
    }
}
