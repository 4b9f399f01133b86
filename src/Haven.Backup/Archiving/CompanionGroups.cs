// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// The files of one folder that accompany another file of it ("app.db-wal" beside "app.db") as an
/// <see cref="IConsistentContentSource"/> names them. Each file with companions gets an outcome the
/// archiver completes once the file is stored: true when a consistent copy was stored, and then its
/// companions are left out; false when it was stored as it is, and then they are stored too.
/// </summary>
internal sealed class CompanionGroups
{
    private static readonly CompanionGroups s_none = new();

    private readonly Dictionary<string, TaskCompletionSource<bool>> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _companionToBase = new(StringComparer.Ordinal);

    public static CompanionGroups Find(IConsistentContentSource? source, IReadOnlyCollection<string> names)
    {
        if (source is null)
        {
            return s_none;
        }

        var groups = new CompanionGroups();
        var present = names as IReadOnlySet<string> ?? names.ToHashSet(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (source.CompanionOf(name) is { } baseName && present.Contains(baseName))
            {
                groups._companionToBase[name] = baseName;
                if (!groups._outcomes.ContainsKey(baseName))
                {
                    groups._outcomes[baseName] = NewOutcome();
                }
            }
        }

        return groups;
    }

    /// <summary>An outcome for a file whose companions are not part of the walk (a file given as a backup target).</summary>
    public static TaskCompletionSource<bool> NewOutcome() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The outcome to complete for <paramref name="name"/> when companions accompany it; null otherwise.</summary>
    public TaskCompletionSource<bool>? OutcomeOf(string name) => _outcomes.GetValueOrDefault(name);

    /// <summary>For a companion, whether the file it accompanies was stored consistently; null for other names.</summary>
    public Task<bool>? BaseStoredConsistently(string name) =>
        _companionToBase.TryGetValue(name, out string? baseName) ? _outcomes[baseName].Task : null;
}
