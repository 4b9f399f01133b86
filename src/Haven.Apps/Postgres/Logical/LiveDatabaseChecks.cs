// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>What restore-table verifies in the live database before it sends a single statement.</summary>
internal sealed class LiveDatabaseChecks(PostgresServer server, string database, TableName original, TableName target)
{
    /// <summary>--data-only loads into a table that must exist.</summary>
    public async Task RequireTableAsync(CancellationToken cancellationToken)
    {
        if (!await server.RelationExistsAsync(target.Schema, target.Name, cancellationToken).ConfigureAwait(false))
        {
            throw new PostgresBackupException(PostgresBackupError.TargetMissing,
                $"table {target} does not exist in database '{database}', so --data-only has nowhere to put the rows; leave out --data-only to recreate the whole table. Nothing was written");
        }
    }

    /// <summary>The table and every index or sequence the restore creates must be free, or the restore would fail halfway (and roll back).</summary>
    public async Task RequireFreeNamesAsync(IEnumerable<string> relations, CancellationToken cancellationToken)
    {
        var taken = new List<string>();
        foreach (string relation in relations.Distinct(StringComparer.Ordinal))
        {
            if (await server.RelationExistsAsync(target.Schema, relation, cancellationToken).ConfigureAwait(false))
            {
                taken.Add(new TableName(target.Schema, relation).ToString());
            }
        }

        if (taken.Count == 0)
        {
            return;
        }

        string usage = target == original
            ? $"use --as NEW_NAME to restore it beside the existing one, or --data-only to add its rows to the existing table"
            : "choose another --as name";
        throw new PostgresBackupException(PostgresBackupError.TargetExists, taken[0] == target.ToString()
            ? $"table {target} already exists in database '{database}'; {usage}. Nothing was written"
            : $"restoring {original} as {target} would create {string.Join(", ", taken)}, which already exist in database '{database}'; {usage}. Nothing was written");
    }

    /// <summary>Foreign keys whose referenced table is gone: they are left out (with a note) instead of failing the restore.</summary>
    public async Task<List<ForeignKey>> MissingForeignKeyTargetsAsync(IEnumerable<ForeignKey> foreignKeys, CancellationToken cancellationToken)
    {
        var missing = new List<ForeignKey>();
        foreach (var foreignKey in foreignKeys)
        {
            var references = foreignKey.References;
            if (!await server.RelationExistsAsync(ByteText.ToUtf8(references.Schema), ByteText.ToUtf8(references.Name), cancellationToken).ConfigureAwait(false))
            {
                missing.Add(foreignKey);
            }
        }

        return missing;
    }
}
