// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>Live counters of a running prune, read by a progress printer on another thread.</summary>
public sealed class PruneStatus
{
    private int _treesWalked;
    private int _packsRepacked;
    private long _bytesRepacked;

    public PrunePhase Phase { get; internal set; }

    public int Snapshots { get; internal set; }

    public int TreesWalked => Volatile.Read(ref _treesWalked);

    public int PacksToRepack { get; internal set; }

    public int PacksRepacked => Volatile.Read(ref _packsRepacked);

    public long BytesToRepack { get; internal set; }

    public long BytesRepacked => Interlocked.Read(ref _bytesRepacked);

    internal void TreeWalked() => Interlocked.Increment(ref _treesWalked);

    internal void PackRepacked(long bytes)
    {
        Interlocked.Add(ref _bytesRepacked, bytes);
        Interlocked.Increment(ref _packsRepacked);
    }
}
