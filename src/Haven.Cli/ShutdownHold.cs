// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>One piece of cleanup that process exit waits for (see <see cref="ShutdownDelay"/>); disposing it lets the process go.</summary>
internal sealed class ShutdownHold : IDisposable
{
    private int _released;

    internal ShutdownHold(TimeSpan cleanUpTimeout, bool released)
    {
        CleanUpTimeout = cleanUpTimeout;
        _released = released ? 1 : 0;
    }

    /// <summary>
    /// Runs the cleanup (and disposes this hold) when the command did not get to it: called at process
    /// exit after a grace period. Must return the task already running if the command started it.
    /// </summary>
    public Func<Task>? CleanUp { get; set; }

    /// <summary>How long <see cref="CleanUp"/> may take at the most.</summary>
    public TimeSpan CleanUpTimeout { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            ShutdownDelay.Released(this);
        }
    }
}
