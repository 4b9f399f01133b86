// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// restore-table: brings one table of a snapshot's dump back into a live database in one
/// transaction, with its primary key, indexes, constraints, defaults, owned sequences (at their
/// dumped values), triggers, comments and grants; beside the damaged table under another name
/// with --as, or only its rows with --data-only. Every check against the live database runs
/// before anything is sent, and the script runs between BEGIN and a COMMIT that is sent only once
/// pg_restore succeeded: any failure, or Haven itself dying, leaves the database as it was.
/// </summary>
public sealed class TableRestorer
{
    private readonly Repository.Repository _repository;
    private readonly Func<string, string?> _environment;
    private readonly TimeProvider _time;

    public TableRestorer(Repository.Repository repository, Func<string, string?> environment, TimeProvider time)
    {
        _repository = repository;
        _environment = environment;
        _time = time;
    }

    public TableRestoreStatus Status { get; } = new();

    /// <summary>Restores from the snapshot whose root tree is <paramref name="root"/>.</summary>
    public async Task<TableRestoreResult> RestoreAsync(Id root, TableRestoreRequest request, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        Status.StartPass("connecting");
        await using var server = await PostgresServer.ConnectAsync(request.Connection, _environment, cancellationToken).ConfigureAwait(false);
        string database = await server.CurrentDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var dump = await SnapshotDump.FindAsync(_repository, root, request.FromDatabase ?? database, request.FromDatabase is not null, cancellationToken).ConfigureAwait(false);
        Status.DumpBytes = dump.Size;
        var tools = new PgTools(_environment);
        var pgRestore = await tools.FindAsync("pg_restore", dump.Manifest.PgDumpMajor, null, cancellationToken).ConfigureAwait(false);
        var psql = await tools.FindAsync("psql", 0, pgRestore, cancellationToken).ConfigureAwait(false);

        // Names from here on are the dump's bytes (see ByteText).
        var table = new TableName(ByteText.FromUtf8(request.Table.Schema), ByteText.FromUtf8(request.Table.Name));
        string targetName = ByteText.FromUtf8(request.As ?? request.Table.Name);
        var session = new RestoreSession(dump, pgRestore, Status);
        Status.StartPass("reading the dump's table of contents");
        var toc = TocEntry.ParseListing(await session.RenderAsync(["-l"], cancellationToken).ConfigureAwait(false));
        if (!toc.Any(e => e.Kind == "TABLE" && e.Schema == table.Schema && e.Tag == table.Name))
        {
            throw NotInDump(request.Table, dump, toc);
        }

        TableObjects objects;
        if (request.DataOnly)
        {
            objects = TableObjects.Analyze(toc, table, "");
        }
        else
        {
            Status.StartPass("finding the table's indexes and sequences");
            string rendered = await session.RenderListAsync(TableObjects.NeedingSql(toc, table), cancellationToken).ConfigureAwait(false);
            objects = TableObjects.Analyze(toc, table, rendered);
        }

        var renamer = targetName != table.Name ? new TableRenamer(table.Schema, table.Name, targetName, [.. objects.Sequences, .. objects.Indexes]) : null;
        var target = new TableName(request.Table.Schema, ByteText.ToUtf8(targetName));
        var checks = new LiveDatabaseChecks(server, database, request.Table, target);
        List<TocEntry> entries;
        var skipped = new List<string>();
        if (request.DataOnly)
        {
            await checks.RequireTableAsync(cancellationToken).ConfigureAwait(false);
            entries = objects.Entries.Where(e => e.Kind == "TABLE DATA").ToList();
        }
        else
        {
            var created = new[] { targetName }.Concat(objects.Sequences.Concat(objects.Indexes).Concat(objects.IndexBackedConstraints).Select(name => renamer?.NewName(name) ?? name));
            await checks.RequireFreeNamesAsync(created.Select(ByteText.ToUtf8), cancellationToken).ConfigureAwait(false);
            var missingTargets = await checks.MissingForeignKeyTargetsAsync(objects.ForeignKeys.Where(fk => fk.References != table), cancellationToken).ConfigureAwait(false);
            skipped.AddRange(missingTargets.Select(fk => $"{ByteText.ToUtf8(fk.Name)} (references {ByteText.ToUtf8(fk.References.ToString())}, which does not exist)"));
            var skippedTags = missingTargets.Select(fk => $"{table.Name} {fk.Name}").ToHashSet(StringComparer.Ordinal);
            entries = objects.Entries.Where(e => !(e.Kind == "FK CONSTRAINT" && skippedTags.Contains(e.Tag))).ToList();
        }

        Status.StartPass(request.DataOnly ? "restoring rows" : "restoring the table");
        long rows = await session.RunAsync(entries, renamer, psql, request.Connection, database, cancellationToken).ConfigureAwait(false);
        string Renamed(string name) => ByteText.ToUtf8(renamer?.NewName(name) ?? name);
        return new TableRestoreResult(
            database, dump.Database.Path, request.Table, target, request.DataOnly, rows,
            request.DataOnly ? [] : objects.Indexes.Select(Renamed).ToList(),
            request.DataOnly ? [] : entries.Where(e => e.Kind is "CONSTRAINT" or "FK CONSTRAINT" or "CHECK CONSTRAINT").Select(e => Renamed(e.Tag[(table.Name.Length + 1)..])).ToList(),
            request.DataOnly ? [] : objects.Sequences.Select(Renamed).ToList(),
            skipped, _time.GetElapsedTime(started));
    }

    private static PostgresBackupException NotInDump(TableName wanted, SnapshotDump dump, List<TocEntry> toc)
    {
        var tables = toc.Where(e => e.Kind == "TABLE").Select(e => ByteText.ToUtf8(new TableName(e.Schema, e.Tag).ToString())).ToList();
        var similar = SimilarNames.Find(wanted.ToString(), tables);
        string hint = similar.Count > 0
            ? $"similar tables in it: {string.Join(", ", similar)}"
            : tables.Count == 0 ? "it holds no tables" : $"its tables: {string.Join(", ", tables.Take(20))}{(tables.Count > 20 ? ", ..." : "")}";
        return new PostgresBackupException(PostgresBackupError.TableNotInSnapshot,
            $"the dump of database '{dump.Database.Name}' in the snapshot has no table {wanted}; {hint}. Nothing was written");
    }
}
