// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

[assembly: AssemblyFixture(typeof(Haven.Apps.Tests.Postgres.PostgresFixture))]

namespace Haven.Apps.Tests.Postgres;

/// <summary>One PostgreSQL 15 server for the whole assembly; each test makes its own database in it.</summary>
public sealed class PostgresFixture : IDisposable
{
    public PostgresCluster Cluster { get; } = PostgresCluster.Start();

    public void Dispose() => Cluster.Dispose();
}
