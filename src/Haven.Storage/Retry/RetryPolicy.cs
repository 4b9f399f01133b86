// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Retry;

/// <summary>How often and how long <see cref="RetryingBackend"/> tries: exponential backoff with full jitter, bounded in attempts and in total time.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The delay before the first retry; it doubles for every further one.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No single delay is longer than this.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>No retry starts once this much time has gone by since the first attempt.</summary>
    public TimeSpan MaxElapsed { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first): a random share of the doubled base, at least half of it.</summary>
    public TimeSpan DelayBefore(int retry, double random)
    {
        double ceiling = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * random));
    }
}
