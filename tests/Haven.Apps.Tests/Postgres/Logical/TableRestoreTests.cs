// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>
/// "Someone dropped a table": backup --postgres, then restore-table against the live database,
/// through the real haven binary and PostgreSQL 15.
/// </summary>
public sealed class TableRestoreTests(PostgresFixture postgres)
{
    private const string Schema = """
        CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 50) g;
        CREATE TABLE orders (
            id serial PRIMARY KEY,
            customer_id int NOT NULL REFERENCES customers (id),
            code text UNIQUE,
            amount numeric NOT NULL DEFAULT 0 CHECK (amount >= 0),
            note text,
            created timestamptz NOT NULL DEFAULT now());
        CREATE INDEX orders_created_idx ON orders (created);
        CREATE INDEX orders_note_idx ON orders (lower(note)) WHERE note IS NOT NULL;
        COMMENT ON TABLE orders IS 'orders of customers';
        INSERT INTO orders (customer_id, code, amount, note)
            SELECT 1 + g % 50, 'c' || g, g * 1.5, CASE WHEN g % 3 = 0 THEN E'it''s; a\ttab -- not a comment' END FROM generate_series(1, 2000) g;
        CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text);
        INSERT INTO audit (what) VALUES ('one'), ('two');
        """;

    private PostgresCluster Cluster => postgres.Cluster;

    [Fact]
    public void A_dropped_table_comes_back_with_its_rows_primary_key_indexes_and_sequence_and_other_tables_are_untouched()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string ordersBefore = Rows(db, "orders");
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("INSERT INTO customers VALUES (51, 'after the backup'); DELETE FROM audit WHERE id = 1; DROP TABLE orders", db);
        string customersBefore = Rows(db, "customers");
        string auditBefore = Rows(db, "audit");

        var summary = sandbox.RestoreTable(snapshot[..8], "--postgres", Cluster.Uri(db), "--table", "public.orders");

        Assert.Equal(2000, summary.GetProperty("rows").GetInt64());
        Assert.Equal(ordersBefore, Rows(db, "orders"));
        Assert.Equal(
            ["orders_code_key", "orders_created_idx", "orders_note_idx", "orders_pkey"],
            Cluster.Sql("SELECT indexname FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1", db).Split('\n'));
        Assert.Equal("p|orders_pkey", Cluster.Sql("SELECT contype::text || '|' || conname FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'p'", db));
        Assert.Equal(
            ["c|orders_amount_check", "f|orders_customer_id_fkey", "p|orders_pkey", "u|orders_code_key"],
            Cluster.Sql("SELECT contype::text || '|' || conname FROM pg_constraint WHERE conrelid = 'orders'::regclass ORDER BY 1", db).Split('\n'));
        // The owned sequence is back at its dumped value and owned by the column again.
        Assert.Equal("2001", Cluster.Sql("INSERT INTO orders (customer_id) VALUES (1) RETURNING id", db));
        Assert.Equal("orders.id", Cluster.Sql("SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.objid = 'orders_id_seq'::regclass AND d.deptype = 'a'", db));
        Assert.Equal("orders of customers", Cluster.Sql("SELECT obj_description('orders'::regclass)", db));
        Assert.Equal(customersBefore, Rows(db, "customers"));
        Assert.Equal(auditBefore, Rows(db, "audit"));
    }

    [Fact]
    public void With_as_the_table_comes_back_beside_the_damaged_one_which_is_left_alone()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string ordersAtBackup = Rows(db, "orders");
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("UPDATE orders SET amount = 0 WHERE id <= 100; DELETE FROM orders WHERE id > 1500", db);
        string damaged = Rows(db, "orders");
        string damagedIndexes = Cluster.Sql("SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1", db);
        string sequenceBefore = Cluster.Sql("SELECT last_value FROM orders_id_seq", db);

        var summary = sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(db), "--table", "orders", "--as", "orders_restored");

        Assert.Equal("public.orders_restored", summary.GetProperty("restored_as").GetString());
        Assert.Equal(ordersAtBackup, Rows(db, "orders_restored"));
        Assert.Equal(damaged, Rows(db, "orders"));
        Assert.Equal(damagedIndexes, Cluster.Sql("SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1", db));
        Assert.Equal(sequenceBefore, Cluster.Sql("SELECT last_value FROM orders_id_seq", db));
        Assert.Equal(
            ["orders_restored_code_key", "orders_restored_created_idx", "orders_restored_note_idx", "orders_restored_pkey"],
            Cluster.Sql("SELECT indexname FROM pg_indexes WHERE tablename = 'orders_restored' ORDER BY 1", db).Split('\n'));
        Assert.Equal("nextval('orders_restored_id_seq'::regclass)", Cluster.Sql("SELECT column_default FROM information_schema.columns WHERE table_name = 'orders_restored' AND column_name = 'id'", db));
        Assert.Equal("2001", Cluster.Sql("INSERT INTO orders_restored (customer_id) VALUES (1) RETURNING id", db));
    }

    [Fact]
    public void An_identity_column_table_comes_back_with_its_identity_at_the_dumped_value()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("DROP TABLE audit", db);

        sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(db), "--table", "public.audit");

        Assert.Equal("(1,one)\n(2,two)", Rows(db, "audit"));
        Assert.Equal("3", Cluster.Sql("INSERT INTO audit (what) VALUES ('three') RETURNING id", db));
    }

    [Fact]
    public void Data_only_loads_the_rows_into_the_existing_table_and_a_conflict_writes_nothing()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string atBackup = Rows(db, "orders");
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("TRUNCATE orders", db);

        var summary = sandbox.RestoreTable(snapshot, "--postgres", Cluster.Uri(db), "--table", "public.orders", "--data-only");

        Assert.Equal(2000, summary.GetProperty("rows").GetInt64());
        Assert.Equal(atBackup, Rows(db, "orders"));

        // Again: every row now collides with its primary key, and the whole load is rolled back.
        Cluster.Sql("DELETE FROM orders WHERE id > 10", db);
        var again = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "public.orders", "--data-only");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("duplicate key", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("10", Cluster.Sql("SELECT count(*) FROM orders", db));
    }

    [Fact]
    public void A_table_that_exists_is_refused_and_one_not_in_the_snapshot_gets_similar_names()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("DELETE FROM orders WHERE id > 5", db);

        var exists = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "public.orders");
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("table public.orders already exists", exists.Stderr, StringComparison.Ordinal);
        Assert.Contains("--as", exists.Stderr, StringComparison.Ordinal);

        var taken = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "public.orders", "--as", "customers");
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("table public.customers already exists", taken.Stderr, StringComparison.Ordinal);

        var missing = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "public.order");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("has no table public.order; similar tables in it: public.orders", missing.Stderr, StringComparison.Ordinal);

        var badName = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "a.b.c");
        Assert.Equal(2, badName.ExitCode);
        Assert.Equal("5", Cluster.Sql("SELECT count(*) FROM orders", db));
        Assert.Equal("", Cluster.Sql("SELECT relname FROM pg_class WHERE relname LIKE 'customers_%' AND relkind = 'r'", db));
    }

    [Fact]
    public void A_foreign_key_whose_target_is_gone_is_left_out_with_a_note_and_the_rest_restored()
    {
        using var sandbox = new LogicalSandbox();
        string db = Setup();
        string snapshot = sandbox.Backup("--postgres", Cluster.Uri(db));
        Cluster.Sql("DROP TABLE orders; DROP TABLE customers", db);

        var result = sandbox.Cli.Run("restore-table", snapshot, "--postgres", Cluster.Uri(db), "--table", "public.orders");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("foreign key orders_customer_id_fkey (references public.customers, which does not exist) was not restored", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("2000", Cluster.Sql("SELECT count(*) FROM orders", db));
        Assert.Equal("", Cluster.Sql("SELECT conname FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'f'", db));
    }

    private string Setup()
    {
        string db = Cluster.CreateDatabase("restore");
        Cluster.Sql(Schema, db);
        return db;
    }

    /// <summary>Every row of a table in primary key order, one per line: the exact content to compare.</summary>
    private string Rows(string db, string table) => Cluster.Sql($"SELECT t::text FROM {table} t ORDER BY 1", db);
}
