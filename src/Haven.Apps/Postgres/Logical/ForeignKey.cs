// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>A foreign key of the restored table and the table it points at.</summary>
public sealed record ForeignKey(string Name, TableName References);
