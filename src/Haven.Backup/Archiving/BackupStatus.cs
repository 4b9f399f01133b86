// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// Live counters of a running backup. The archiver updates them from many threads; a progress
/// printer reads them whenever it likes. Reads are not a consistent snapshot of all counters, which
/// is fine for a progress line.
/// </summary>
public sealed class BackupStatus
{
    private long _filesTotal;
    private long _bytesTotal;
    private long _filesDone;
    private long _bytesRead;
    private long _bytesDone;
    private long _filesNew;
    private long _filesChanged;
    private long _filesUnmodified;
    private long _dirsNew;
    private long _dirsChanged;
    private long _dirsUnmodified;
    private long _dataBlobs;
    private long _dataAdded;
    private long _errors;
    private volatile bool _scanFinished;
    private volatile string? _currentFile;

    public long FilesTotal => Interlocked.Read(ref _filesTotal);

    public long BytesTotal => Interlocked.Read(ref _bytesTotal);

    public bool ScanFinished => _scanFinished;

    public long FilesDone => Interlocked.Read(ref _filesDone);

    /// <summary>Bytes of file content read or skipped as unchanged: progress toward <see cref="BytesTotal"/>.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long FilesNew => Interlocked.Read(ref _filesNew);

    public long FilesChanged => Interlocked.Read(ref _filesChanged);

    public long FilesUnmodified => Interlocked.Read(ref _filesUnmodified);

    public long DirsNew => Interlocked.Read(ref _dirsNew);

    public long DirsChanged => Interlocked.Read(ref _dirsChanged);

    public long DirsUnmodified => Interlocked.Read(ref _dirsUnmodified);

    public long DataBlobs => Interlocked.Read(ref _dataBlobs);

    public long DataAdded => Interlocked.Read(ref _dataAdded);

    public long Errors => Interlocked.Read(ref _errors);

    public string? CurrentFile => _currentFile;

    internal void AddScanned(long files, long bytes)
    {
        Interlocked.Add(ref _filesTotal, files);
        Interlocked.Add(ref _bytesTotal, bytes);
    }

    internal void FinishScan() => _scanFinished = true;

    internal void StartFile(string path) => _currentFile = path;

    internal void AddBytesRead(long bytes)
    {
        Interlocked.Add(ref _bytesRead, bytes);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    /// <summary>Raised on the worker that finished a file; handlers must be quick and thread-safe.</summary>
    public event Action<FileCompletion>? FileCompleted;

    internal void CompleteFile(string path, FileChange change, long size, long skippedBytes)
    {
        FileCompleted?.Invoke(new FileCompletion(path, change, size));
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, skippedBytes);
        Interlocked.Increment(ref Counter(change, ref _filesNew, ref _filesChanged, ref _filesUnmodified));
    }

    internal void CompleteDirectory(FileChange change)
    {
        Interlocked.Increment(ref Counter(change, ref _dirsNew, ref _dirsChanged, ref _dirsUnmodified));
    }

    internal void OnDataBlobStored(bool added, int length)
    {
        if (added)
        {
            Interlocked.Increment(ref _dataBlobs);
            Interlocked.Add(ref _dataAdded, length);
        }
    }

    internal void AddError() => Interlocked.Increment(ref _errors);

    private static ref long Counter(FileChange change, ref long created, ref long changed, ref long unmodified)
    {
        if (change == FileChange.New)
        {
            return ref created;
        }

        return ref change == FileChange.Changed ? ref changed : ref unmodified;
    }
}
