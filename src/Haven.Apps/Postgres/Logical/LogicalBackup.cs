// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using Haven.Backup.Archiving;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// Plans a logical backup: connects first (so a wrong DSN, a refused login or a pg_dump older
/// than the server fails before anything runs), then returns the stream sources the archiver
/// stores: one pg_dump --format=custom per database, pg_dumpall --globals-only, and a manifest.
/// </summary>
public static class LogicalBackup
{
    /// <summary>How many pg_dump processes run at once; more mostly competes for the same disk.</summary>
    private const int ConcurrentDumps = 2;

    public static async Task<LogicalBackupPlan> PlanAsync(PgConnectionInfo connection, bool allDatabases, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var tools = new PgTools(environment);
        await using var server = await PostgresServer.ConnectAsync(connection, environment, cancellationToken).ConfigureAwait(false);
        var pgDump = await tools.FindAsync("pg_dump", server.MajorVersion, null, cancellationToken).ConfigureAwait(false);
        var pgDumpAll = await tools.FindAsync("pg_dumpall", server.MajorVersion, pgDump, cancellationToken).ConfigureAwait(false);
        string current = await server.CurrentDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var names = allDatabases ? await server.ConnectableDatabasesAsync(cancellationToken).ConfigureAwait(false) : [current];
        bool superuser = await server.IsSuperuserAsync(cancellationToken).ConfigureAwait(false);

        var slots = new SemaphoreSlim(ConcurrentDumps);
        var environmentForTools = connection.ToolEnvironment();
        var databases = new List<DumpedDatabase>();
        var streams = new List<StreamSource>();
        foreach (string name in names)
        {
            var database = new DumpedDatabase(name, $"{SnapshotLayout.PostgresRoot}/{FileNameFor(name, databases)}.dump");
            databases.Add(database);
            string conninfo = connection.WithDatabase(name).ToToolConnectionString();
            // No compression: the repository compresses, and an uncompressed dump deduplicates against yesterday's.
            string[] arguments = ["--format=custom", "--compress=0", "--no-password", "--dbname", conninfo];
            streams.Add(ToolOutputSource.Create(database.Path, slots, () => PgProcess.Start(pgDump, arguments, environmentForTools, $"pg_dump of database {name}", withStdin: false)));
        }

        string globals = SnapshotLayout.PostgresRoot + "/globals.sql";
        string[] globalsArguments = ["--globals-only", "--no-password", "--dbname", connection.WithDatabase(current).ToToolConnectionString(), "-l", current,
            .. superuser ? Array.Empty<string>() : ["--no-role-passwords"]];
        streams.Add(ToolOutputSource.Create(globals, slots, () => PgProcess.Start(pgDumpAll, globalsArguments, environmentForTools, "pg_dumpall --globals-only", withStdin: false)));

        var manifest = new DumpManifest
        {
            Server = connection.Display,
            ServerVersion = server.VersionText,
            ServerMajor = server.MajorVersion,
            PgDumpVersion = pgDump.Version,
            PgDumpMajor = pgDump.Major,
            Databases = databases,
            Globals = globals,
            RolePasswords = superuser,
        };
        byte[] manifestBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, DumpManifestJson.Readable.DumpManifest) + "\n");
        streams.Add(new StreamSource { SnapshotPath = DumpManifest.SnapshotPath, Open = _ => Task.FromResult<Stream>(new MemoryStream(manifestBytes)), Permissions = 0x1A4 });
        return new LogicalBackupPlan(manifest, streams);
    }

    /// <summary>
    /// A file name for a database: the name itself when it is a plain one, otherwise its unsafe
    /// characters percent-encoded; the manifest maps names to files, so nothing has to decode it.
    /// </summary>
    internal static string FileNameFor(string database, IReadOnlyList<DumpedDatabase> taken)
    {
        var name = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(database))
        {
            char c = (char)b;
            name.Append(b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && !(c == '.' && name.Length == 0) ? c.ToString() : $"%{b:X2}");
        }

        string candidate = name.ToString();
        if (candidate is "manifest" or "globals")
        {
            candidate = "db-" + candidate;
        }

        string unique = candidate;
        for (int i = 2; taken.Any(d => d.Path.EndsWith("/" + unique + ".dump", StringComparison.Ordinal)); i++)
        {
            unique = $"{candidate}-{i}";
        }

        return unique;
    }
}
