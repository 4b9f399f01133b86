// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Repository.Snapshots;

/// <summary>
/// restic's tag command: either set the tags (an empty set, or the single tag "", clears them),
/// or add and then remove some.
/// </summary>
public sealed record TagChange(IReadOnlyList<string>? Set, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    /// <summary>Changes the tags of <paramref name="snapshot"/>; returns whether anything was asked to change (restic rewrites on any --set).</summary>
    public bool ApplyTo(Snapshot snapshot)
    {
        if (Set is not null)
        {
            var tags = Set.Where(t => t.Length > 0).ToList();
            snapshot.Tags = tags.Count > 0 ? tags : null;
            return true;
        }

        var current = snapshot.Tags ?? [];
        bool changed = false;
        foreach (string tag in Add)
        {
            if (!current.Contains(tag))
            {
                current.Add(tag);
                changed = true;
            }
        }

        changed |= current.RemoveAll(Remove.Contains) > 0;
        snapshot.Tags = current.Count > 0 ? current : null;
        return changed;
    }

    /// <summary>
    /// Applies the change and, when it changed anything, saves the snapshot as a new file whose
    /// "original" names the first version, then removes the old file (in that order, so a crash
    /// leaves both rather than neither). Returns the new ID, or null when nothing changed.
    /// </summary>
    public async Task<Id?> RewriteAsync(Repository repository, Id id, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (!ApplyTo(snapshot))
        {
            return null;
        }

        snapshot.Original ??= id;
        var saved = await SnapshotCatalog.SaveAsync(repository, snapshot, cancellationToken).ConfigureAwait(false);
        if (saved != id)
        {
            await repository.Backend.RemoveAsync(Storage.FileHandle.For(FileType.Snapshot, id), cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }
}
