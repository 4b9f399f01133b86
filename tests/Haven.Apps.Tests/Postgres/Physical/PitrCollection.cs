// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>The point-in-time test classes share one archiving cluster and its history (they only read it, or push what is archived already).</summary>
[CollectionDefinition(Name)]
public sealed class PitrCollection : ICollectionFixture<PitrHistory>
{
    public const string Name = "pitr";
}
