// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>backup --postgres: what lands in the snapshot, and that other tools can use it.</summary>
public sealed class LogicalBackupTests(PostgresFixture postgres)
{
    private PostgresCluster Cluster => postgres.Cluster;

    [Fact]
    public void A_database_with_several_schemas_is_dumped_and_a_table_of_any_schema_restored()
    {
        using var sandbox = new LogicalSandbox();
        string db = Cluster.CreateDatabase("schemas");
        Cluster.Sql("""
            CREATE SCHEMA sales; CREATE SCHEMA "Archive 2024";
            CREATE TABLE public.items (id int PRIMARY KEY, name text);
            CREATE TABLE sales.items (id int PRIMARY KEY, price numeric);
            CREATE TABLE "Archive 2024"."Old Items" (id int PRIMARY KEY, "Name" text);
            CREATE INDEX "Old Items name" ON "Archive 2024"."Old Items" ("Name");
            INSERT INTO public.items SELECT g, 'p' || g FROM generate_series(1, 10) g;
            INSERT INTO sales.items SELECT g, g * 2 FROM generate_series(1, 20) g;
            INSERT INTO "Archive 2024"."Old Items" SELECT g, 'old ' || g FROM generate_series(1, 30) g;
            """, db);
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("DROP TABLE sales.items; DROP TABLE \"Archive 2024\".\"Old Items\"", db);

        sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(db), "--table", "sales.items");
        sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(db), "--table", "\"Archive 2024\".\"Old Items\"");

        Assert.Equal("20|420", Cluster.Sql("SELECT count(*), sum(price) FROM sales.items", db));
        Assert.Equal("10", Cluster.Sql("SELECT count(*) FROM public.items", db));
        Assert.Equal("30", Cluster.Sql("SELECT count(*) FROM \"Archive 2024\".\"Old Items\"", db));
        Assert.Equal("Old Items name\nOld Items_pkey", Cluster.Sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'Archive 2024' ORDER BY 1", db));
    }

    [Fact]
    public void All_databases_and_the_globals_are_dumped_and_the_manifest_lists_them()
    {
        using var sandbox = new LogicalSandbox();
        string first = Cluster.CreateDatabase("all");
        string second = Cluster.CreateDatabase("all");
        string role = $"haven_role_{Guid.NewGuid():N}"[..24];
        Cluster.Sql($"CREATE ROLE {role} LOGIN; CREATE TABLE t (v text); INSERT INTO t VALUES ('first')", first);
        Cluster.Sql("CREATE TABLE t (v text); INSERT INTO t VALUES ('second')", second);

        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(), "--all-databases");

        var manifest = JsonDocument.Parse(sandbox.Cli.RunChecked("dump", snapshot, "/postgres/manifest.json").Stdout).RootElement;
        var names = manifest.GetProperty("databases").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
        Assert.Contains(first, names);
        Assert.Contains(second, names);
        Assert.Contains("postgres", names);
        Assert.DoesNotContain("template0", names);
        Assert.DoesNotContain("template1", names);
        Assert.StartsWith("15.", manifest.GetProperty("server_version").GetString(), StringComparison.Ordinal);
        Assert.Contains($"CREATE ROLE {role};", sandbox.Cli.RunChecked("dump", snapshot, "/postgres/globals.sql").Stdout, StringComparison.Ordinal);

        // A table comes back from the dump of another database than the DSN's, into a new one.
        string target = Cluster.CreateDatabase("all");
        sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(target), "--table", "public.t", "--from-database", second);
        Assert.Equal("second", Cluster.Sql("SELECT v FROM t", target));
    }

    [Fact]
    public void Files_and_a_dump_go_into_one_snapshot()
    {
        using var sandbox = new LogicalSandbox();
        string db = Cluster.CreateDatabase("files");
        string folder = sandbox.Temp.CreateSubdirectory("etc-app");
        File.WriteAllText(Path.Combine(folder, "app.conf"), "port = 8080\n");

        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db), folder);

        string listing = sandbox.Cli.RunChecked("ls", snapshot).Stdout;
        Assert.Contains(folder + "/app.conf", listing, StringComparison.Ordinal);
        Assert.Contains($"/postgres/{db}.dump", listing, StringComparison.Ordinal);
        Assert.Contains("/postgres/manifest.json", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void Restic_restores_the_dump_and_pg_restore_reads_it_into_a_new_database()
    {
        using var sandbox = new LogicalSandbox();
        string db = Cluster.CreateDatabase("restic");
        Cluster.Sql("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g", db);
        sandbox.Backup("--postgres", Cluster.Uri(db), "--tag", "db");

        sandbox.Restic.RunChecked("check", "--read-data");
        string target = sandbox.Temp.CreateSubdirectory("restic-restore");
        sandbox.Restic.RunChecked("restore", "latest", "--target", target);
        string dumpFile = Path.Combine(target, "postgres", db + ".dump");
        Assert.True(File.Exists(dumpFile), $"{dumpFile} is missing");
        string copy = Cluster.CreateDatabase("restic");
        File.SetUnixFileMode(dumpFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(Path.GetDirectoryName(dumpFile)!, (UnixFileMode)0x1ED);
        PostgresCluster.RunTool("pg_restore", ["-h", "127.0.0.1", "-p", Cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", copy, "--exit-on-error", dumpFile], check: true);

        Assert.Equal(Cluster.Sql("SELECT md5(string_agg(v, ',' ORDER BY id)) FROM t", db), Cluster.Sql("SELECT md5(string_agg(v, ',' ORDER BY id)) FROM t", copy));
        Assert.Equal("t_pkey", Cluster.Sql("SELECT indexname FROM pg_indexes WHERE tablename = 't'", copy));
    }

    [Fact]
    public void A_failing_pg_dump_aborts_the_backup_with_its_message_and_no_snapshot()
    {
        using var sandbox = new LogicalSandbox();
        string db = Cluster.CreateDatabase("denied");
        string role = $"haven_reader_{Guid.NewGuid():N}"[..26];
        // The role may connect but not read the table: pg_dump itself fails, after Haven's checks passed.
        Cluster.Sql($"CREATE ROLE {role} LOGIN; CREATE TABLE secret (v text); INSERT INTO secret VALUES ('x'); REVOKE ALL ON secret FROM PUBLIC", db);

        var result = sandbox.Cli.Run("backup", "--postgres", $"postgresql://{role}@127.0.0.1:{Cluster.Port}/{db}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"pg_dump of database {db} failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("permission denied for table secret", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.SnapshotCount());
    }
}
