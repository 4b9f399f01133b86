// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>Live progress of restore-table, read by the CLI's progress line while the engine writes it.</summary>
public sealed class TableRestoreStatus
{
    private long _dumpBytesRead;

    /// <summary>What is happening now: "connecting", "reading the dump's table of contents", "restoring rows".</summary>
    public string Phase { get; internal set; } = "starting";

    /// <summary>Size of the dump file in the snapshot; each pass over it reads up to this many bytes.</summary>
    public long DumpBytes { get; internal set; }

    /// <summary>Bytes of the dump fed to pg_restore in the current pass.</summary>
    public long DumpBytesRead => Interlocked.Read(ref _dumpBytesRead);

    internal void StartPass(string phase)
    {
        Phase = phase;
        Interlocked.Exchange(ref _dumpBytesRead, 0);
    }

    internal void AddRead(long bytes) => Interlocked.Add(ref _dumpBytesRead, bytes);
}
