// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 cluster (Debian's postgresql-15) on a free loopback port, with trust
/// authentication on loopback only, incl. replication connections. The server runs as the
/// 'postgres' user when the tests run as root (PostgreSQL refuses root), so its directory is
/// handed to that user. Settings such as archive_command are appended to postgresql.conf.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string Superuser = "postgres";

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(3);

    private readonly TempDirectory? _ownedDirectory;
    private bool _disposed;

    private PostgresCluster(string directory, TempDirectory? ownedDirectory, int port)
    {
        Directory = directory;
        _ownedDirectory = ownedDirectory;
        Port = port;
    }

    /// <summary>The folder holding data/ (the data directory), server.log and the unix socket.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogPath => Path.Combine(Directory, "server.log");

    public int Port { get; }

    public bool IsRunning { get; private set; }

    /// <summary>True when the server processes must run as 'postgres' through runuser (the tests run as root).</summary>
    public static bool RunsAsPostgresUser => Environment.UserName == "root";

    /// <summary>
    /// initdb into a new temporary folder and start. <paramref name="settings"/> are appended to
    /// postgresql.conf as "name = value" lines (write string values with their single quotes).
    /// </summary>
    public static PostgresCluster Start(IReadOnlyDictionary<string, string>? settings = null)
    {
        var owned = new TempDirectory("pg");
        try
        {
            var cluster = new PostgresCluster(owned.Path, owned, LoopbackPort.Free());
            cluster.Initialize(settings ?? new Dictionary<string, string>());
            cluster.StartServer();
            return cluster;
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }

    /// <summary>Starts a server on a data directory that already exists (a restored one), on a new port.</summary>
    public static PostgresCluster StartExisting(string dataDirectoryParent, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new PostgresCluster(dataDirectoryParent, null, LoopbackPort.Free());
        cluster.AppendSettings(new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["port"] = cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["unix_socket_directories"] = $"'{dataDirectoryParent}'",
        });
        cluster.HandToServerUser(dataDirectoryParent);
        cluster.StartServer();
        return cluster;
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Pooling=false";

    /// <summary>The same as a libpq URI, the DSN form pg_dump and 'haven --postgres' take.</summary>
    public string Uri(string database = "postgres") => $"postgresql://{Superuser}@127.0.0.1:{Port}/{database}";

    /// <summary>Runs SQL through psql (-v ON_ERROR_STOP=1, unaligned tuples only) and returns its output; throws on failure.</summary>
    public string Sql(string sql, string database = "postgres")
    {
        var result = RunTool("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Superuser, "-d", database, "-c", sql], check: true);
        return result.Stdout.TrimEnd('\n');
    }

    /// <summary>Creates a database with a fresh unique name and returns the name.</summary>
    public string CreateDatabase(string prefix = "db")
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        Sql($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>Runs a PostgreSQL program from <see cref="BinDirectory"/>, as the server user when the tests run as root.</summary>
    public static ProcessResult RunTool(string program, IEnumerable<string> args, bool check, ProcessOptions? options = null)
    {
        string path = Path.Combine(BinDirectory, program);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run ./test.sh, which installs postgresql-15");
        }

        options ??= new ProcessOptions { Timeout = s_commandTimeout };
        var (file, arguments) = RunsAsPostgresUser ? ("runuser", (IEnumerable<string>)["-u", Superuser, "--", path, .. args]) : (path, args);
        return check ? ProcessRunner.RunChecked(file, arguments, options) : ProcessRunner.Run(file, arguments, options);
    }

    public void StartServer()
    {
        RunTool("pg_ctl", ["-D", DataDirectory, "-l", LogPath, "-w", "-t", "120", "start"], check: true);
        IsRunning = true;
    }

    /// <summary>Stops the server: "fast" rolls back open sessions and checkpoints, "immediate" is a crash.</summary>
    public void StopServer(string mode = "fast")
    {
        if (!IsRunning)
        {
            return;
        }

        RunTool("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "-t", "120", "stop"], check: true);
        IsRunning = false;
    }

    /// <summary>The server log so far, for assertion messages.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (IsRunning)
        {
            RunTool("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], check: false);
        }

        _ownedDirectory?.Dispose();
    }

    private void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        HandToServerUser(Directory);
        RunTool("initdb", ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check: true);
        var all = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["unix_socket_directories"] = $"'{Directory}'",
            ["wal_level"] = "replica",
            ["max_wal_senders"] = "10",
            // Speed only: a crash of the test machine loses nothing the tests need.
            ["fsync"] = "off",
        };
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }

        AppendSettings(all);
        File.WriteAllText(Path.Combine(DataDirectory, "pg_hba.conf"), """
            local all         all                trust
            host  all         all  127.0.0.1/32  trust
            host  replication all  127.0.0.1/32  trust

            """);
        HandToServerUser(Directory);
    }

    private void AppendSettings(IReadOnlyDictionary<string, string> settings)
    {
        File.AppendAllLines(Path.Combine(DataDirectory, "postgresql.conf"), settings.Select(setting => $"{setting.Key} = {setting.Value}"));
    }

    private void HandToServerUser(string directory)
    {
        if (RunsAsPostgresUser)
        {
            // The server user must reach the folder through /tmp/haven-tests and own everything below it.
            ProcessRunner.RunChecked("chmod", ["755", TempDirectory.Root]);
            ProcessRunner.RunChecked("chown", ["-R", $"{Superuser}:{Superuser}", directory]);
            ProcessRunner.RunChecked("chmod", ["700", directory]);
        }
    }
}
