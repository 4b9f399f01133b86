// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Testing;

/// <summary>Waiting on a condition with a deadline: the only sanctioned way for a test to wait.</summary>
public static class Wait
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds, or throws naming <paramref name="what"/>.</summary>
    public static void Until(Func<bool> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"timed out after {deadline} waiting for {what}");
            }

            Thread.Sleep(s_pollInterval);
        }
    }

    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"timed out after {deadline} waiting for {what}");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
