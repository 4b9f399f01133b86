// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Haven.Backup.Archiving;
using Haven.Backup.FileSystem;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// haven pg basebackup: streams 'pg_basebackup -D - -Ft -X fetch' (one tar holding the data
/// directory and the WAL it needs to become consistent) into a snapshot as /postgres/base/base.tar,
/// and writes what the tar says about itself to /postgres/base/manifest.json once pg_basebackup
/// has exited successfully. A failing pg_basebackup aborts the backup: no snapshot is written.
/// Writing to stdout limits pg_basebackup to clusters without extra tablespaces. The connection,
/// the preflight and the tool lookup are the logical backup's (<see cref="PostgresServer"/>,
/// <see cref="PgTools"/>, <see cref="PgProcess"/>), so a wrong DSN, an unreachable server or a
/// missing pg_basebackup fail before anything is written, with the same messages.
/// </summary>
public sealed partial class BaseBackupRunner
{
    private readonly Repository.Repository _repository;
    private readonly Func<string, string?> _environment;
    private readonly Archiver _archiver;

    /// <summary>
    /// One runner takes one base backup. <paramref name="environment"/> is read as libpq would
    /// (PGHOST, PGPORT, PGUSER...) and for <see cref="PgTools.BinDirectoryVariable"/>.
    /// </summary>
    public BaseBackupRunner(Repository.Repository repository, LocalFileSystem fileSystem, Func<string, string?> environment)
    {
        _repository = repository;
        _environment = environment;
        _archiver = new Archiver(repository, fileSystem);
    }

    /// <summary>The archiver's counters, for progress.</summary>
    public BackupStatus Status => _archiver.Status;

    public async Task<BaseBackupResult> RunAsync(PgConnectionInfo connection, IReadOnlyList<string> tags, string? hostname, CancellationToken cancellationToken)
    {
        var time = _repository.Options.Time;
        long started = time.GetTimestamp();
        int serverMajor = await PostgresServer.ReplicationMajorVersionAsync(connection, _environment, cancellationToken).ConfigureAwait(false);
        var pgBasebackup = await new PgTools(_environment).FindAsync("pg_basebackup", serverMajor, null, cancellationToken).ConfigureAwait(false);
        await using var process = StartPgBasebackup(pgBasebackup, connection);
        var tar = new BaseBackupTarInspector(process.Stdout);
        var manifest = new TaskCompletionSource<BaseBackupManifest>(TaskCreationOptions.RunContinuationsAsynchronously);
        string root = SnapshotLayout.PostgresRoot + "/base";
        var tarSource = new StreamSource
        {
            SnapshotPath = $"{root}/{PhysicalLayout.BaseTarName}",
            Open = _ => Task.FromResult<Stream>(tar),
            Complete = async ct =>
            {
                try
                {
                    await process.WaitSucceededAsync(ct).ConfigureAwait(false);
                    manifest.TrySetResult(Describe(tar, time.GetUtcNow()));
                }
                catch (Exception error)
                {
                    manifest.TrySetException(error);
                    throw;
                }
            },
        };
        var manifestSource = new StreamSource
        {
            SnapshotPath = $"{root}/{PhysicalLayout.ManifestName}",
            // Runs beside the tar (stream sources are archived concurrently) and waits for it.
            Open = async ct => new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(await manifest.Task.WaitAsync(ct).ConfigureAwait(false), PhysicalJson.Default.BaseBackupManifest)),
            Permissions = 0x1A4,
        };

        BackupResult backup;
        try
        {
            backup = await _archiver.RunAsync(new BackupOptions { Streams = [tarSource, manifestSource], Tags = [PhysicalLayout.BaseBackupTag, .. tags], Hostname = hostname }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            manifest.TrySetException(new PhysicalBackupException("the base backup was aborted"));
            process.Kill();
            throw;
        }

        var written = await manifest.Task.ConfigureAwait(false);
        return new BaseBackupResult(backup.SnapshotId!.Value.ToString(), written, tar.BytesRead, backup.DataAddedPacked, time.GetElapsedTime(started).TotalSeconds);
    }

    private static PgProcess StartPgBasebackup(PgProgram pgBasebackup, PgConnectionInfo connection)
    {
        // -w: never prompt (the password reaches it as PGPASSWORD, never on the command line); -c fast: start at once.
        string[] arguments = ["-d", connection.ToToolConnectionString(), "-D", "-", "-F", "t", "-X", "fetch", "-c", "fast", "-w", "-l", "haven base backup"];
        var environment = new Dictionary<string, string>(connection.ToolEnvironment()) { ["LC_MESSAGES"] = "C" };
        return PgProcess.Start(pgBasebackup, arguments, environment, "pg_basebackup", withStdin: false, failureNote: "; no snapshot was written");
    }

    private static BaseBackupManifest Describe(BaseBackupTarInspector tar, DateTimeOffset finishedAt)
    {
        byte[] Member(string name) => tar.Members.TryGetValue(name, out var bytes)
            ? bytes
            : throw new PhysicalBackupException($"pg_basebackup's tar has no {name}; it is not a base backup Haven can restore");

        string label = Encoding.UTF8.GetString(Member("backup_label"));
        var start = StartLine().Match(label);
        var timeline = TimelineLine().Match(label);
        var startTime = StartTimeLine().Match(label);
        var ranges = WalRange().Matches(Encoding.UTF8.GetString(Member("backup_manifest")));
        byte[] control = Member("global/pg_control");
        if (!start.Success || !timeline.Success || ranges.Count == 0 || control.Length < 8 || tar.WalSegmentSize == 0)
        {
            throw new PhysicalBackupException("pg_basebackup's backup_label, backup_manifest or pg_wal do not say where the backup starts and ends; it is not a base backup Haven can restore");
        }

        ulong systemId = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(control);
        int major = int.Parse(Encoding.ASCII.GetString(Member("PG_VERSION")).Trim(), CultureInfo.InvariantCulture);
        return new BaseBackupManifest(
            systemId.ToString(CultureInfo.InvariantCulture), major, uint.Parse(timeline.Groups[1].Value, CultureInfo.InvariantCulture),
            start.Groups[1].Value, ranges[^1].Groups[1].Value, tar.WalSegmentSize, startTime.Success ? startTime.Groups[1].Value.Trim() : "",
            finishedAt, "haven base backup");
    }

    [GeneratedRegex(@"^START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)", RegexOptions.Multiline)]
    private static partial Regex StartLine();

    [GeneratedRegex(@"^START TIMELINE: (\d+)", RegexOptions.Multiline)]
    private static partial Regex TimelineLine();

    [GeneratedRegex(@"^START TIME: (.+)$", RegexOptions.Multiline)]
    private static partial Regex StartTimeLine();

    [GeneratedRegex(@"""End-LSN""\s*:\s*""([0-9A-F]+/[0-9A-F]+)""")]
    private static partial Regex WalRange();
}
