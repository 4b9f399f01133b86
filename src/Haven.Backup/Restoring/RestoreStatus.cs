// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Restoring;

/// <summary>Live counters of a running restore, read by progress printers.</summary>
public sealed class RestoreStatus
{
    private long _filesTotal;
    private long _bytesTotal;
    private long _filesDone;
    private long _bytesDone;
    private long _errors;
    private long _filesVerified;
    private volatile bool _counted;
    private volatile string? _currentFile;

    public long FilesTotal => Interlocked.Read(ref _filesTotal);

    public long BytesTotal => Interlocked.Read(ref _bytesTotal);

    public bool TotalsKnown => _counted;

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long Errors => Interlocked.Read(ref _errors);

    public long FilesVerified => Interlocked.Read(ref _filesVerified);

    public string? CurrentFile => _currentFile;

    internal void SetTotals(long files, long bytes)
    {
        Interlocked.Exchange(ref _filesTotal, files);
        Interlocked.Exchange(ref _bytesTotal, bytes);
        _counted = true;
    }

    internal void StartFile(string path) => _currentFile = path;

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    internal void CompleteFile() => Interlocked.Increment(ref _filesDone);

    internal void CompleteVerify() => Interlocked.Increment(ref _filesVerified);

    internal void AddError() => Interlocked.Increment(ref _errors);
}
