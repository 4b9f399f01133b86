// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// The pg_restore runs of one restore-table over the dump in the snapshot: renderings to text
/// (the table of contents, chosen entries as SQL) and the final run piped into psql. List files
/// live in a private temporary folder (mode 0700) that is removed afterwards; they hold entry
/// lines, never rows.
/// </summary>
internal sealed partial class RestoreSession(SnapshotDump dump, PgProgram pgRestore, TableRestoreStatus status)
{
    /// <summary>Runs pg_restore with <paramref name="arguments"/> on the dump and returns its stdout as byte text.</summary>
    public async Task<string> RenderAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var process = PgProcess.Start(pgRestore, arguments, new Dictionary<string, string>(), "pg_restore", withStdin: true);
        var feed = dump.FeedAsync(process.Stdin, status, cancellationToken);
        using var reader = new StreamReader(process.Stdout, ByteText.Encoding);
        string output = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await feed.ConfigureAwait(false);
        await process.WaitSucceededAsync(cancellationToken).ConfigureAwait(false);
        return output;
    }

    /// <summary>The SQL pg_restore writes for <paramref name="entries"/> (schema only, so it reads only the dump's front).</summary>
    public async Task<string> RenderListAsync(IReadOnlyList<TocEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return "";
        }

        using var list = new ListFile(entries);
        return await RenderAsync(["-L", list.Path, "-f", "-"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// pg_restore -L list -f - | (rename) | psql, between BEGIN and COMMIT; returns the rows copied.
    /// COMMIT is written only after pg_restore exited 0 and its whole script went through.
    /// </summary>
    public async Task<long> RunAsync(IReadOnlyList<TocEntry> entries, TableRenamer? renamer, PgProgram psql, PgConnectionInfo connection, string database, CancellationToken cancellationToken)
    {
        using var list = new ListFile(entries);
        await using var restore = PgProcess.Start(pgRestore, ["-L", list.Path, "-f", "-"], new Dictionary<string, string>(), "pg_restore", withStdin: true,
            failureNote: "\nNothing was written to the database.");
        await using var session = PgProcess.Start(psql, ["-X", "--no-password", "-v", "ON_ERROR_STOP=1", "--dbname", connection.WithDatabase(database).ToToolConnectionString(), "-f", "-"],
            connection.ToolEnvironment(), $"psql on database '{database}'", withStdin: true, failureNote: "\nThe transaction was rolled back: nothing was written to the database.");
        var feed = dump.FeedAsync(restore.Stdin, status, cancellationToken);
        using var psqlOutput = new StreamReader(session.Stdout, Encoding.UTF8);
        var output = psqlOutput.ReadToEndAsync(cancellationToken);
        var writer = new StreamWriter(session.Stdin, ByteText.Encoding, 1 << 16) { NewLine = "\n" };
        try
        {
            await writer.WriteAsync("BEGIN;\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await PumpAsync(restore.Stdout, writer, renamer, cancellationToken).ConfigureAwait(false);
            await feed.ConfigureAwait(false);
            if (await restore.WaitAsync(cancellationToken).ConfigureAwait(false) != 0)
            {
                // Kill psql before it sees the end of its input: the open transaction dies with it.
                session.Kill();
                await restore.WaitSucceededAsync(cancellationToken).ConfigureAwait(false);
            }

            await writer.WriteAsync("COMMIT;\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // psql stopped reading: it hit an error (ON_ERROR_STOP) and rolled back; its exit says why.
            restore.Kill();
            await session.WaitSucceededAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }

        await session.WaitSucceededAsync(cancellationToken).ConfigureAwait(false);
        return CopyCount().Matches(await output.ConfigureAwait(false)).Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static async Task PumpAsync(Stream script, StreamWriter psql, TableRenamer? renamer, CancellationToken cancellationToken)
    {
        if (renamer is null)
        {
            await psql.FlushAsync(cancellationToken).ConfigureAwait(false);
            await script.CopyToAsync(psql.BaseStream, 1 << 20, cancellationToken).ConfigureAwait(false);
            return;
        }

        var rewriter = new SqlScriptRewriter(renamer.Rewrite);
        var lines = new LineReader(new StreamReader(script, ByteText.Encoding));
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            await psql.WriteAsync(rewriter.Feed(line).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        if (rewriter.IsIncomplete)
        {
            throw new PostgresBackupException(PostgresBackupError.ToolFailed, "pg_restore's script ended in the middle of a statement; nothing was written");
        }
    }

    [GeneratedRegex(@"^COPY (\d+)$", RegexOptions.Multiline)]
    private static partial Regex CopyCount();
}
