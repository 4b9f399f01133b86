// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Apps.Postgres.Physical;

/// <summary>Finds the base backups in a repository (snapshots tagged pg-basebackup) and reads their manifests.</summary>
public static class BaseBackupCatalog
{
    /// <summary>Every base backup, oldest first; the repository's index must be loaded.</summary>
    public static async Task<List<BaseBackup>> ListAsync(Repository.Repository repository, CancellationToken cancellationToken)
    {
        var backups = new List<BaseBackup>();
        string root = SnapshotLayout.PostgresRoot + "/base";
        foreach (var (id, snapshot) in await WalArchive.LoadTaggedAsync(repository, PhysicalLayout.BaseBackupTag, cancellationToken).ConfigureAwait(false))
        {
            var folder = await WalArchive.LoadTreeAsync(repository, await WalArchive.FindSubtreeAsync(repository, snapshot.Tree, root, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (folder.Find(PhysicalLayout.ManifestName) is not { Type: NodeType.File, Content: { } manifestContent }
                || folder.Find(PhysicalLayout.BaseTarName) is not { Type: NodeType.File, Content: { } tar } tarNode)
            {
                throw new DamagedDataException($"snapshot {id.ToShortString()} is tagged {PhysicalLayout.BaseBackupTag} but has no {root}/{PhysicalLayout.ManifestName} and {PhysicalLayout.BaseTarName}");
            }

            using var buffer = new MemoryStream();
            foreach (var blob in manifestContent)
            {
                buffer.Write(await repository.LoadBlobAsync(new BlobHandle(blob, BlobType.Data), cancellationToken).ConfigureAwait(false));
            }

            var manifest = JsonSerializer.Deserialize(buffer.ToArray(), PhysicalJson.Default.BaseBackupManifest)
                ?? throw new DamagedDataException($"snapshot {id.ToShortString()}: {PhysicalLayout.ManifestName} is empty");
            backups.Add(new BaseBackup(id, snapshot.Time.ToDateTimeOffset(), manifest, tar, (long)tarNode.Size));
        }

        return backups;
    }
}
