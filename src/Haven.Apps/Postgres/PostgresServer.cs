// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net.Sockets;
using Npgsql;
using Npgsql.Replication;

namespace Haven.Apps.Postgres;

/// <summary>
/// Questions Haven asks a live server through Npgsql before any tool runs: its version, its
/// databases, whether a relation exists. Connection failures become <see cref="PostgresBackupException"/>
/// with the reason (unreachable, authentication, no such database), so bad input fails before anything is written.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private PostgresServer(NpgsqlConnection connection, PgConnectionInfo info)
    {
        _connection = connection;
        Info = info;
    }

    public PgConnectionInfo Info { get; }

    /// <summary>Connects to the DSN's database; <paramref name="environment"/> supplies PGHOST, PGPORT, PGUSER and the like as libpq would read them.</summary>
    public static async Task<PostgresServer> ConnectAsync(PgConnectionInfo info, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(NpgsqlSettings.ConnectionString(info, environment));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresServer(connection, info);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or ArgumentException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Classify(error, info);
        }
    }

    /// <summary>
    /// Opens a physical replication connection, as pg_basebackup will (pg_hba.conf's 'replication'
    /// lines and the REPLICATION privilege apply, not the database's), and returns the server's major
    /// version; failures are classified as <see cref="ConnectAsync"/> classifies them.
    /// </summary>
    public static async Task<int> ReplicationMajorVersionAsync(PgConnectionInfo info, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var connection = new PhysicalReplicationConnection(NpgsqlSettings.ConnectionString(info, environment));
        try
        {
            await connection.Open(cancellationToken).ConfigureAwait(false);
            return connection.PostgreSqlVersion.Major;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or ArgumentException)
        {
            throw Classify(error, info);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>server_version_num, e.g. 150018 for 15.18.</summary>
    public int VersionNumber => _connection.PostgreSqlVersion.Major * 10000 + Math.Max(0, _connection.PostgreSqlVersion.Minor);

    public int MajorVersion => _connection.PostgreSqlVersion.Major;

    /// <summary>The server's own version text ("15.18 (Debian 15.18-0+deb12u1)").</summary>
    public string VersionText => _connection.ServerVersion;

    public async Task<string> CurrentDatabaseAsync(CancellationToken cancellationToken) =>
        (string)(await ScalarAsync("SELECT current_database()", [], cancellationToken).ConfigureAwait(false))!;

    public async Task<bool> IsSuperuserAsync(CancellationToken cancellationToken) =>
        (bool)(await ScalarAsync("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", [], cancellationToken).ConfigureAwait(false))!;

    /// <summary>Every database that accepts connections, templates left out, by name.</summary>
    public async Task<List<string>> ConnectableDatabasesAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname", _connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>True when a table, index, sequence or view of that (unquoted) schema and name exists.</summary>
    public async Task<bool> RelationExistsAsync(string schema, string name, CancellationToken cancellationToken) =>
        await ScalarAsync(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
            [schema, name], cancellationToken).ConfigureAwait(false) is not null;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<object?> ScalarAsync(string sql, string[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        foreach (string parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static PostgresBackupException Classify(Exception error, PgConnectionInfo info)
    {
        string where = info.Display;
        return error switch
        {
            Npgsql.PostgresException { SqlState: "28P01" or "28000" } server =>
                new(PostgresBackupError.AuthenticationFailed, $"PostgreSQL at {where} refused the login: {server.MessageText}. Check the user and the password (in the DSN, PGPASSWORD or ~/.pgpass) and pg_hba.conf", error),
            Npgsql.PostgresException { SqlState: "3D000" } server =>
                new(PostgresBackupError.NoSuchDatabase, $"PostgreSQL at {where}: {server.MessageText}; check the database name in the DSN", error),
            NpgsqlException when error.Message.Contains("password", StringComparison.OrdinalIgnoreCase) =>
                new(PostgresBackupError.AuthenticationFailed, $"PostgreSQL at {where} asks for a password and none was given: put it in the DSN, PGPASSWORD or ~/.pgpass", error),
            ArgumentException =>
                PgConnectionInfo.BadDsn(error.Message),
            _ when Find<SocketException>(error) is { } socket =>
                new(PostgresBackupError.Unreachable, $"cannot connect to PostgreSQL at {where}: {socket.Message}. Check the host and port in the DSN and that the server is running", error),
            _ => new(PostgresBackupError.Unreachable, $"cannot connect to PostgreSQL at {where}: {error.Message}", error),
        };
    }

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }

        return null;
    }
}
