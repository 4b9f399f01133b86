// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Postgres;
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>Wrong DSNs, refused logins, missing or old tools: a clear message, a documented exit code, nothing written.</summary>
public sealed class BadInputTests(PostgresFixture postgres)
{
    private PostgresCluster Cluster => postgres.Cluster;

    [Fact]
    public void An_unreachable_server_and_a_missing_database_fail_before_anything_is_written()
    {
        using var sandbox = new LogicalSandbox();
        int closedPort = LoopbackPort.Free();

        var unreachable = sandbox.Cli.Run("backup", "--postgres", $"postgresql://postgres@127.0.0.1:{closedPort}/app");
        var noDatabase = sandbox.Cli.Run("backup", "--postgres", $"host=127.0.0.1 port={Cluster.Port} user=postgres dbname=no_such_db");
        var restore = sandbox.Cli.Run("restore-table", "latest", "--postgres", $"postgresql://postgres@127.0.0.1:{closedPort}/app", "--table", "public.t");

        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{closedPort}/app as postgres", unreachable.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, noDatabase.ExitCode);
        Assert.Contains("database \"no_such_db\" does not exist", noDatabase.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, restore.ExitCode);
        Assert.Equal(0, sandbox.SnapshotCount());
    }

    [Fact]
    public void A_dsn_that_cannot_be_parsed_is_a_usage_error()
    {
        using var sandbox = new LogicalSandbox();

        var typo = sandbox.Cli.Run("backup", "--postgres", "hots=127.0.0.1 dbname=app");
        var port = sandbox.Cli.Run("backup", "--postgres", "postgresql://127.0.0.1:54x/app");
        var quote = sandbox.Cli.Run("backup", "--postgres", "host='127.0.0.1");

        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("'hots' is not a libpq connection keyword", typo.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, port.ExitCode);
        Assert.Contains("port '54x' is not a number", port.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, quote.ExitCode);
        Assert.Equal(0, sandbox.SnapshotCount());
    }

    [Fact]
    public void A_refused_password_fails_clearly_and_the_password_comes_from_the_dsn_pgpassword_or_pgpass_without_being_printed()
    {
        using var cluster = PostgresCluster.Start(new Dictionary<string, string> { ["password_encryption"] = "'scram-sha-256'" });
        const string Password = "s3cret-Pa55-word";
        cluster.Sql($"CREATE ROLE backup SUPERUSER LOGIN PASSWORD '{Password}'");
        cluster.Sql("CREATE DATABASE app");
        // Only the role 'backup' needs a password, so the test's own psql (as postgres) keeps working.
        File.WriteAllText(Path.Combine(cluster.DataDirectory, "pg_hba.conf"), """
            local all all                     trust
            host  all backup 127.0.0.1/32 scram-sha-256
            host  all all    127.0.0.1/32 trust

            """);
        PostgresCluster.RunTool("pg_ctl", ["-D", cluster.DataDirectory, "reload"], check: true);
        string host = $"127.0.0.1:{cluster.Port}";
        using var sandbox = new LogicalSandbox();

        var wrong = sandbox.Cli.Run("backup", "--postgres", $"postgresql://backup:wrong-password@{host}/app");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("refused the login", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", wrong.Stderr + wrong.Stdout, StringComparison.Ordinal);

        var none = sandbox.Cli.Run("backup", "--postgres", $"postgresql://backup@{host}/app");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("password", none.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.SnapshotCount());

        var inDsn = sandbox.Cli.Run("backup", "--json", "--postgres", $"postgresql://backup:{Password}@{host}/app");
        Assert.True(inDsn.ExitCode == 0, inDsn.Stderr);
        Assert.DoesNotContain(Password, inDsn.Stderr + inDsn.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, sandbox.Cli.RunChecked("dump", "latest", "/postgres/manifest.json").Stdout, StringComparison.Ordinal);

        var fromEnvironment = new LogicalSandbox(new Dictionary<string, string?> { ["PGPASSWORD"] = Password });
        using (fromEnvironment)
        {
            fromEnvironment.Backup("--postgres", $"host=127.0.0.1 port={cluster.Port} user=backup dbname=app");
        }

        using var fromPgpass = new LogicalSandbox();
        string pgpass = Path.Combine(fromPgpass.Home, ".pgpass");
        File.WriteAllText(pgpass, $"127.0.0.1:{cluster.Port}:*:backup:{Password}\n");
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string snapshot = fromPgpass.Backup("--postgres", $"postgresql://backup@{host}/app");
        cluster.Sql("CREATE TABLE t (v int); INSERT INTO t VALUES (7)", "app");
        string second = fromPgpass.Backup("--postgres", $"postgresql://backup@{host}/app");
        cluster.Sql("DROP TABLE t", "app");
        fromPgpass.RestoreTable(second, "--postgres", $"postgresql://backup@{host}/app", "--table", "public.t");
        Assert.Equal("7", cluster.Sql("SELECT v FROM t", "app"));
        Assert.NotEqual(snapshot, second);
    }

    [Fact]
    public void A_missing_pg_dump_names_the_package_to_install()
    {
        using var sandbox = new LogicalSandbox(new Dictionary<string, string?> { [PgTools.BinDirectoryVariable] = "/nonexistent/pg/bin" });
        string db = Cluster.CreateDatabase("tools");

        var result = sandbox.Cli.Run("backup", "--postgres", Cluster.Uri(db));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pg_dump is not installed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql-client-15", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.SnapshotCount());
    }

    [Fact]
    public async Task A_pg_dump_older_than_the_server_is_refused_before_anything_runs()
    {
        // The installed client is 15; a server of 16 needs 16 or newer, so the real lookup must refuse it.
        var tools = new PgTools(Environment.GetEnvironmentVariable);
        var found = await tools.FindAsync("pg_dump", 15, null, TestContext.Current.CancellationToken);
        Assert.Equal(15, found.Major);

        var error = await Assert.ThrowsAsync<PostgresBackupException>(() => tools.FindAsync("pg_dump", 16, null, TestContext.Current.CancellationToken));

        Assert.Equal(PostgresBackupError.ToolTooOld, error.Error);
        Assert.Contains($"pg_dump {found.Version} ({found.Path}) is older than PostgreSQL 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql-client-16", error.Message, StringComparison.Ordinal);
    }
}
