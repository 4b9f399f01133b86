// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using Haven.Backup.Archiving;
using Haven.Cli.Output;

namespace Haven.Cli.Progress;

/// <summary>Renders a running backup's counters: files, bytes, rate, ETA and the current file.</summary>
internal sealed class BackupProgressPrinter
{
    private readonly BackupStatus _status;
    private readonly Printer _printer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BackupProgressPrinter(BackupStatus status, Printer printer)
    {
        _status = status;
        _printer = printer;
    }

    public ProgressLoop Start(ProgressMode mode) => new(mode, TextLine, JsonLine);

    public string TextLine()
    {
        var elapsed = _clock.Elapsed;
        long done = _status.BytesDone;
        double rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        string total = _status.ScanFinished ? $"{_status.FilesTotal} files {Units.Bytes(_status.BytesTotal)}" : $"{_status.FilesTotal}+ files (scanning)";
        string percent = _status.ScanFinished && _status.BytesTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * done / _status.BytesTotal:0.0}% ") : string.Empty;
        string eta = Remaining(rate) is TimeSpan left ? $" ETA {Units.Duration(left)}" : string.Empty;
        string errors = _status.Errors > 0 ? $", {_status.Errors} errors" : string.Empty;
        return $"[{Units.Duration(elapsed)}] {percent}{_status.FilesDone} files {Units.Bytes(done)} of {total}, {Units.Rate(rate)}{eta}{errors}  {_status.CurrentFile}";
    }

    private void JsonLine()
    {
        var elapsed = _clock.Elapsed;
        double rate = elapsed.TotalSeconds > 0 ? _status.BytesDone / elapsed.TotalSeconds : 0;
        double percent = _status.ScanFinished && _status.BytesTotal > 0 ? Math.Min(1.0, (double)_status.BytesDone / _status.BytesTotal) : 0;
        _printer.JsonLine(
            new BackupStatusMessage(
                "status",
                (long)elapsed.TotalSeconds,
                Remaining(rate) is TimeSpan left ? (long)left.TotalSeconds : null,
                percent,
                _status.FilesTotal,
                _status.FilesDone,
                _status.BytesTotal,
                _status.BytesDone,
                _status.Errors,
                _status.CurrentFile is { } current ? [current] : []),
            CliJson.Output.BackupStatusMessage);
    }

    private TimeSpan? Remaining(double rate)
    {
        if (!_status.ScanFinished || rate <= 0)
        {
            return null;
        }

        return TimeSpan.FromSeconds(Math.Max(0, _status.BytesTotal - _status.BytesDone) / rate);
    }
}
