// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Formats.Tar;
using System.Globalization;
using Haven.Backup.Browsing;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// haven pg restore: picks the base backup for the target, extracts it into an empty data
/// directory (0700), copies the archived WAL from that backup on into a folder of its own, and
/// writes recovery.signal and the recovery settings, so that PostgreSQL started on the directory
/// replays exactly to the target and promotes. restore_command is a plain 'cp' from that folder,
/// so PostgreSQL needs neither Haven nor the repository password while it recovers. Everything is
/// checked before the first byte is written: a non-empty folder, a target outside what the
/// repository covers or a PostgreSQL of another major version stop the restore with nothing written.
/// </summary>
public sealed class PointInTimeRestorer
{
    private readonly Repository.Repository _repository;

    public PointInTimeRestorer(Repository.Repository repository)
    {
        _repository = repository;
    }

    public async Task<PointInTimeRestoreResult> RunAsync(PointInTimeRestoreOptions options, CancellationToken cancellationToken)
    {
        var time = _repository.Options.Time;
        long started = time.GetTimestamp();
        string dataDirectory = Path.GetFullPath(options.TargetDirectory).TrimEnd('/');
        string walDirectory = Path.GetFullPath(options.WalDirectory ?? dataDirectory + ".wal").TrimEnd('/');
        RequireEmpty(dataDirectory, "--target");
        RequireEmpty(walDirectory, "--wal-dir");
        if (walDirectory.Contains('"', StringComparison.Ordinal) || walDirectory.Contains('\'', StringComparison.Ordinal))
        {
            throw new PhysicalBackupException($"--wal-dir {walDirectory}: quotes cannot appear in the folder restore_command reads from; choose another folder");
        }

        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var backups = await BaseBackupCatalog.ListAsync(_repository, cancellationToken).ConfigureAwait(false);
        ulong systemId = ChooseSystem(backups, options.SystemId);
        backups = backups.Where(backup => backup.Manifest.SystemId == systemId).ToList();
        var archive = await WalArchive.OpenAsync(_repository, systemId, cancellationToken).ConfigureAwait(false);
        var archived = await archive.ListAsync(cancellationToken).ConfigureAwait(false);

        var plan = RecoveryPlan.Choose(backups, archived, options.Target, options.Snapshot);
        await CheckServerVersionAsync(plan.BaseBackup.Manifest.ServerMajorVersion, options.PostgresBinDirectory, cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(walDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        long bytes = await ExtractAsync(plan.BaseBackup, dataDirectory, cancellationToken).ConfigureAwait(false);
        foreach (var entry in plan.WalFiles)
        {
            await using var source = new FileContentStream(_repository, entry.Content);
            await using var target = new FileStream(Path.Combine(walDirectory, entry.Name.Name), new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            bytes += entry.Size;
        }

        await WriteRecoverySettingsAsync(dataDirectory, walDirectory, options.Target, cancellationToken).ConfigureAwait(false);
        if (options.Owner is { } owner)
        {
            await ChownAsync(owner, [dataDirectory, walDirectory], cancellationToken).ConfigureAwait(false);
        }

        return new PointInTimeRestoreResult(plan.BaseBackup.SnapshotId.ToString(), systemId.ToString(CultureInfo.InvariantCulture), options.Target.ToString(),
            dataDirectory, walDirectory, plan.WalFiles.Count, bytes, time.GetElapsedTime(started).TotalSeconds);
    }

    private static void RequireEmpty(string directory, string option)
    {
        if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
        {
            throw new PhysicalBackupException($"{option} {directory} is not empty; nothing was written. Restore into a new or empty folder");
        }
    }

    private static ulong ChooseSystem(List<BaseBackup> backups, ulong? wanted)
    {
        var systems = backups.Select(backup => backup.Manifest.SystemId).Distinct().ToList();
        if (wanted is ulong id)
        {
            return systems.Contains(id) ? id : throw new PhysicalBackupException($"the repository has no base backup of cluster {id}; 'haven pg status' lists the clusters it holds");
        }

        return systems.Count switch
        {
            0 => throw new PhysicalBackupException("the repository holds no PostgreSQL base backup; take one with 'haven pg basebackup --postgres DSN'"),
            1 => systems[0],
            _ => throw new PhysicalBackupException($"the repository holds base backups of {systems.Count} clusters ({string.Join(", ", systems)}); choose one with --system-id"),
        };
    }

    private static async Task CheckServerVersionAsync(int major, string? binDirectory, CancellationToken cancellationToken)
    {
        string directory = binDirectory ?? $"/usr/lib/postgresql/{major}/bin";
        string postgres = Path.Combine(directory, "postgres");
        if (!File.Exists(postgres))
        {
            throw new PhysicalBackupException($"the base backup was made by PostgreSQL {major}, and {postgres} does not exist; install PostgreSQL {major} (Debian: postgresql-{major}) or pass --pg-bin with the folder of its programs. Nothing was written");
        }

        var program = await PgTools.ProbeAsync("postgres", postgres, cancellationToken).ConfigureAwait(false);
        if (program?.Major != major)
        {
            string found = program is null ? "does not say which PostgreSQL it is" : $"is PostgreSQL {program.Version}";
            throw new PhysicalBackupException($"the base backup was made by PostgreSQL {major}, but {postgres} {found}: a data directory only runs on its own major version. Install PostgreSQL {major} or pass --pg-bin; nothing was written");
        }
    }

    private async Task<long> ExtractAsync(BaseBackup backup, string dataDirectory, CancellationToken cancellationToken)
    {
        await using var tarStream = new FileContentStream(_repository, backup.Tar);
        await using var reader = new TarReader(new ForwardOnlyStream(tarStream));
        long bytes = 0;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // pg_basebackup names the members it adds for -X fetch "./pg_wal/...".
            string relative = (entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name).TrimEnd('/');
            if (relative.Length == 0 || relative.StartsWith('/') || relative.Split('/').Any(part => part is "" or "." or ".."))
            {
                throw new PhysicalBackupException($"base backup {backup.SnapshotId.ToShortString()} holds an unsafe name '{entry.Name}'; it was not written");
            }

            string path = Path.Combine(dataDirectory, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    await using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = entry.Mode & (UnixFileMode)0x1FF }))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    File.SetUnixFileMode(path, entry.Mode & (UnixFileMode)0x1FF);
                    bytes += entry.Length;
                    break;
                case TarEntryType.SymbolicLink:
                    File.CreateSymbolicLink(path, entry.LinkName);
                    break;
                default:
                    throw new PhysicalBackupException($"base backup {backup.SnapshotId.ToShortString()} holds '{entry.Name}' of tar type {entry.EntryType}, which a data directory never has");
            }
        }

        return bytes;
    }

    private static async Task WriteRecoverySettingsAsync(string dataDirectory, string walDirectory, RecoveryTarget target, CancellationToken cancellationToken)
    {
        var lines = new List<string>
        {
            $"# Added by 'haven pg restore': replay the WAL copied to {walDirectory} up to {target}, then promote.",
            $"restore_command = 'cp \"{walDirectory}/%f\" \"%p\"'",
            "recovery_target_timeline = 'latest'",
        };
        lines.AddRange(target.Settings().Select(setting => $"{setting.Name} = '{setting.Value.Replace("'", "''", StringComparison.Ordinal)}'"));
        await File.AppendAllLinesAsync(Path.Combine(dataDirectory, "postgresql.auto.conf"), lines, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "recovery.signal"), [], cancellationToken).ConfigureAwait(false);
    }

    private static async Task ChownAsync(string owner, string[] directories, CancellationToken cancellationToken)
    {
        var info = new System.Diagnostics.ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-R", "--", owner, .. directories])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new PhysicalBackupException("chown did not start");
        string error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new PhysicalBackupException($"--owner {owner}: chown failed ({error.Trim()}); the restored folders are complete but owned by the user who ran haven");
        }
    }
}
