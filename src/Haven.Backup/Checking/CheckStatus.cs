// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Checking;

/// <summary>Live counters of a running check, read by a progress printer from another thread.</summary>
public sealed class CheckStatus
{
    private long _packsDone;
    private long _bytesDone;

    public string Phase { get; internal set; } = "index";

    public int PacksToRead { get; internal set; }

    public long BytesToRead { get; internal set; }

    public long PacksDone => Interlocked.Read(ref _packsDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    internal void AddPack(long bytes)
    {
        Interlocked.Increment(ref _packsDone);
        Interlocked.Add(ref _bytesDone, bytes);
    }
}
