// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Npgsql;

namespace Haven.Apps.Tests.Postgres;

/// <summary>The test kit's PostgreSQL server itself: reachable with Npgsql and psql, one database per test.</summary>
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_database_made_for_a_test_is_reachable_through_npgsql_and_psql()
    {
        string database = postgres.Cluster.CreateDatabase("smoke");
        postgres.Cluster.Sql("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)", database);

        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString(database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM t", connection);

        Assert.Equal(2L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("15.", postgres.Cluster.Sql("SHOW server_version"), StringComparison.Ordinal);
    }
}
