// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Microsoft.Data.Sqlite;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>
/// An application writing an SQLite database through a connection of its own: every transaction
/// inserts one row and raises the counter, so any committed state has counter == row count and row
/// IDs 1..count. <see cref="Start"/> runs transactions on a thread until disposed.
/// </summary>
public sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private Exception? _failure;
    private long _commits;

    /// <param name="journalMode">"wal" or "delete".</param>
    /// <param name="checkpoint">False keeps every commit in the -wal file (no automatic checkpoints).</param>
    public SqliteWriter(string path, string journalMode, bool checkpoint = true)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=300");
        _connection.Open();
        Execute($"PRAGMA journal_mode = {journalMode}");
        Execute("PRAGMA busy_timeout = 300000");
        if (!checkpoint)
        {
            Execute("PRAGMA wal_autocheckpoint = 0");
        }

        Execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
        Execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL)");
        Execute("INSERT INTO counter SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM counter)");
        _commits = Convert.ToInt64(Scalar("SELECT n FROM counter"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Transactions committed so far (those before this writer's start included).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Commits <paramref name="count"/> transactions now, on the caller's thread.</summary>
    public void Commit(int count, int payloadBytes = 2000)
    {
        for (int i = 0; i < count; i++)
        {
            CommitOne(payloadBytes);
        }
    }

    /// <summary>Inserts <paramref name="rows"/> rows in one transaction: a big database quickly.</summary>
    public void Prefill(int rows, int payloadBytes = 2000)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {rows}) "
            + $"INSERT INTO rows (payload) SELECT randomblob({payloadBytes}) FROM seq; UPDATE counter SET n = n + {rows}";
        command.ExecuteNonQuery();
        transaction.Commit();
        Interlocked.Add(ref _commits, rows);
    }

    /// <summary>Commits on a thread of its own until disposed.</summary>
    public void Start()
    {
        _thread = new Thread(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    CommitOne(2000);
                }
            }
            catch (Exception error)
            {
                _failure = error;
            }
        });
        _thread.Start();
    }

    /// <summary>Stops the thread and throws what it failed with, if anything.</summary>
    public void StopAndCheck()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
        if (_failure is not null)
        {
            throw new InvalidOperationException("the writer failed", _failure);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    private void CommitOne(int payloadBytes)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO rows (payload) VALUES (randomblob({payloadBytes})); UPDATE counter SET n = n + 1";
        command.ExecuteNonQuery();
        transaction.Commit();
        Interlocked.Increment(ref _commits);
    }

    private void Execute(string sql) => Scalar(sql);

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
