// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// A <see cref="StreamSource"/> whose content is a tool's stdout (pg_dump, pg_dumpall), streamed
/// into the snapshot with no temporary file. The tool starts when the archiver opens the stream,
/// once one of the shared slots is free, so that --all-databases does not run every dump at once.
/// Complete checks its exit code: a failed dump aborts the backup with its stderr.
/// </summary>
internal static class ToolOutputSource
{
    public static StreamSource Create(string snapshotPath, SemaphoreSlim slots, Func<PgProcess> start)
    {
        PgProcess? running = null;
        return new StreamSource
        {
            SnapshotPath = snapshotPath,
            Open = async cancellationToken =>
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    running = start();
                }
                catch
                {
                    slots.Release();
                    throw;
                }

                return new OwnedStream(running.Stdout, async () =>
                {
                    // Reached after the archiver read to the end or gave up; a dump still running is killed.
                    await running.DisposeAsync().ConfigureAwait(false);
                    slots.Release();
                });
            },
            Complete = async cancellationToken => await running!.WaitSucceededAsync(cancellationToken).ConfigureAwait(false),
        };
    }
}
