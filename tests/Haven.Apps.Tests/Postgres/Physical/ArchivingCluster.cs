// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;
using Npgsql;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>
/// A PostgreSQL 15 cluster of its own whose archive_command is 'haven pg wal-push %p' into a
/// repository that belongs to the server user, as in a real setup: the repository, its password
/// file and every haven command run as 'postgres' (PostgresCluster runs the server as that user
/// when the tests run as root).
/// </summary>
public sealed class ArchivingCluster : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _work = new("pitr");

    public ArchivingCluster(IReadOnlyDictionary<string, string>? settings = null)
    {
        Repository = _work.CreateSubdirectory("repo");
        PasswordFile = _work.Combine("password");
        File.WriteAllText(PasswordFile, "pitr-" + Guid.NewGuid().ToString("N"));
        Home = _work.CreateSubdirectory("home");
        GiveToServerUser(_work.Path);
        Haven("init").Check();
        var all = new Dictionary<string, string>
        {
            ["archive_mode"] = "on",
            ["archive_command"] = $"'{string.Join(' ', HavenCommand)} -r {Repository} -p {PasswordFile} pg wal-push %p'",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }

        Cluster = PostgresCluster.Start(all);
    }

    public PostgresCluster Cluster { get; }

    public string Repository { get; }

    public string PasswordFile { get; }

    public string Home { get; }

    /// <summary>How the server user runs haven: the archive_command has no PATH to find dotnet on, so its host is a full path.</summary>
    public static IReadOnlyList<string> HavenCommand => HavenCli.CommandWithHost(
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : "/usr/bin/dotnet");

    /// <summary>A new empty folder the server user owns, e.g. to restore into.</summary>
    public string NewFolder(string name)
    {
        string path = _work.CreateSubdirectory(name + "-" + Guid.NewGuid().ToString("N")[..8]);
        GiveToServerUser(path);
        return path;
    }

    /// <summary>Runs haven as the server user against the repository (and in <paramref name="workingDirectory"/>, if given).</summary>
    public HavenRun Haven(params string[] args) => HavenIn(null, args);

    public HavenRun HavenIn(string? workingDirectory, params string[] args)
    {
        string[] env =
        [
            $"HOME={Home}", $"XDG_CONFIG_HOME={Home}/config", $"XDG_CACHE_HOME={Home}/cache", $"XDG_DATA_HOME={Home}/data", $"XDG_STATE_HOME={Home}/state",
            $"HAVEN_REPOSITORY={Repository}", $"HAVEN_PASSWORD_FILE={PasswordFile}", "HAVEN_KEY_DERIVATION_MS=0", $"PATH={PostgresCluster.BinDirectory}:/usr/bin:/bin",
        ];
        var options = new ProcessOptions { Timeout = TimeSpan.FromMinutes(5), WorkingDirectory = workingDirectory };
        var result = PostgresCluster.RunsAsPostgresUser
            ? ProcessRunner.Run("runuser", ["-u", PostgresCluster.Superuser, "--", "env", .. env, .. HavenCommand, .. args], options)
            : ProcessRunner.Run("env", [.. env, .. HavenCommand, .. args], options);
        return new HavenRun(args, result);
    }

    /// <summary>Runs one SQL statement through Npgsql and returns the first column of the first row.</summary>
    public static object? Scalar(PostgresCluster cluster, string sql, string database = "postgres")
    {
        using var connection = new NpgsqlConnection(cluster.ConnectionString(database));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <summary>Switches to a new WAL segment and waits until the finished one is archived; returns its name.</summary>
    public string SwitchAndWaitArchived()
    {
        string segment = (string)Scalar(Cluster, "SELECT pg_walfile_name(pg_switch_wal())")!;
        Wait.Until(
            () => Scalar(Cluster, "SELECT last_archived_wal FROM pg_stat_archiver") is string archived && string.CompareOrdinal(archived, segment) >= 0,
            s_deadline,
            $"segment {segment} to be archived; server log:\n{Cluster.Log}");
        return segment;
    }

    public void Dispose()
    {
        Cluster.Dispose();
        _work.Dispose();
    }

    private static void GiveToServerUser(string path)
    {
        if (PostgresCluster.RunsAsPostgresUser)
        {
            ProcessRunner.RunChecked("chmod", ["755", TempDirectory.Root]);
            ProcessRunner.RunChecked("chown", ["-R", $"{PostgresCluster.Superuser}:{PostgresCluster.Superuser}", path]);
        }
    }
}
