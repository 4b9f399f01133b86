// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Tests.Browsing;

/// <summary>The diff, find and stats tests read one shared <see cref="SnapshotPairFixture"/>, built once.</summary>
[CollectionDefinition(Name)]
public sealed class SnapshotPairCollection : ICollectionFixture<SnapshotPairFixture>
{
    public const string Name = "snapshot pair";
}
