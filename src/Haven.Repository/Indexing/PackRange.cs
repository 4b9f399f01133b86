// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Indexing;

/// <summary>Where one pack's entries are in the master index's table: they are always contiguous.</summary>
internal readonly record struct PackRange(int Start, int Count)
{
    /// <summary>A pack that is known by number but whose listing is not (or no longer) in the table.</summary>
    public static PackRange Unlisted => new(-1, 0);

    public bool IsListed => Start >= 0;
}
