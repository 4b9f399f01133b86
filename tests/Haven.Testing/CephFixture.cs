// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// The xunit fixture of tests that need S3: gives them the test run's Ceph cluster, starting it on
/// first use (about 17 s; later classes and assemblies of the same run join it).
/// </summary>
public sealed class CephFixture : IAsyncLifetime
{
    private CephCluster? _cluster;

    public CephCluster Cluster => _cluster ?? throw new InvalidOperationException("the Ceph cluster is not started");

    public async ValueTask InitializeAsync() => _cluster = await CephCluster.GetAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
