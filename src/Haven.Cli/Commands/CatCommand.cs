// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Backup.Browsing;
using Haven.Format;
using Haven.Repository.Snapshots;
using Haven.Storage;

namespace Haven.Cli.Commands;

/// <summary>haven cat: prints the decrypted content of one repository object, for inspection and debugging.</summary>
internal static class CatCommand
{
    private static readonly string[] s_kinds = ["config", "masterkey", "key", "lock", "snapshot", "index", "pack", "blob", "tree"];

    public static Command Create(GlobalOptions options)
    {
        var kind = new Argument<string>("TYPE") { Description = "config, masterkey, key, lock, snapshot, index, pack, blob or tree" };
        kind.AcceptOnlyFromAmong(s_kinds);
        var idArgument = new Argument<string?>("ID") { Description = "Object ID (a unique prefix); for snapshot and tree also 'latest', for tree also SNAPSHOT:PATH", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("cat", "Print the decrypted content of a repository object") { kind, idArgument };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            string what = context.ParseResult.GetValue(kind)!;
            string? name = context.ParseResult.GetValue(idArgument);
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            byte[] output = what switch
            {
                "config" => repository.Config.ToJson(),
                "masterkey" => repository.Key.ToJson(),
                _ => await LoadAsync(repository, what, name ?? throw new UsageException($"'cat {what}' needs an ID"), cancellationToken),
            };
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(output, cancellationToken);
            if (output.Length > 0 && output[^1] != (byte)'\n' && what != "pack" && what != "blob")
            {
                stdout.WriteByte((byte)'\n');
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<byte[]> LoadAsync(Repository.Repository repository, string what, string name, CancellationToken cancellationToken)
    {
        switch (what)
        {
            case "key":
                return await repository.Backend.LoadAsync(FileHandle.For(FileType.Key, await ResolveAsync(repository, FileType.Key, name, cancellationToken)), 0, 0, cancellationToken);
            case "lock":
                return await repository.LoadUnpackedAsync(FileType.Lock, await ResolveAsync(repository, FileType.Lock, name, cancellationToken), cancellationToken);
            case "snapshot":
                var (snapshotId, _) = await SnapshotCatalog.FindAsync(repository, name, SnapshotFilter.None, cancellationToken);
                return await repository.LoadUnpackedAsync(FileType.Snapshot, snapshotId, cancellationToken);
            case "index":
                return await repository.LoadUnpackedAsync(FileType.Index, await ResolveAsync(repository, FileType.Index, name, cancellationToken), cancellationToken);
            case "pack":
                var packId = await ResolveAsync(repository, FileType.Pack, name, cancellationToken);
                byte[] pack = await repository.Backend.LoadAsync(FileHandle.For(FileType.Pack, packId), 0, 0, cancellationToken);
                if (Id.Hash(pack) != packId)
                {
                    throw new Repository.Errors.DamagedDataException($"pack {packId} is damaged: its content does not match its name");
                }

                return pack;
            case "blob":
                await repository.LoadIndexAsync(cancellationToken);
                var id = ParseFullId(name);
                foreach (var type in new[] { BlobType.Data, BlobType.Tree })
                {
                    if (repository.HasBlob(new BlobHandle(id, type)))
                    {
                        return await repository.LoadBlobAsync(new BlobHandle(id, type), cancellationToken);
                    }
                }

                throw new UsageException($"no blob {id} in the index");
            default:
                await repository.LoadIndexAsync(cancellationToken);
                return await LoadTreeAsync(repository, name, cancellationToken);
        }
    }

    private static async Task<byte[]> LoadTreeAsync(Repository.Repository repository, string name, CancellationToken cancellationToken)
    {
        if (Id.TryParse(name, out var treeId))
        {
            return await repository.LoadBlobAsync(new BlobHandle(treeId, BlobType.Tree), cancellationToken);
        }

        int colon = name.IndexOf(':', StringComparison.Ordinal);
        string snapshotName = colon >= 0 ? name[..colon] : name;
        string path = colon >= 0 ? name[(colon + 1)..] : "/";
        var (_, snapshot) = await SnapshotCatalog.FindAsync(repository, snapshotName, SnapshotFilter.None, cancellationToken);
        var node = await new SnapshotBrowser(repository).FindAsync(snapshot.Tree, path, cancellationToken);
        var id = node is null ? snapshot.Tree : node.Subtree ?? throw new UsageException($"{path} is not a folder, so it has no tree");
        return await repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), cancellationToken);
    }

    private static Id ParseFullId(string name) =>
        Id.TryParse(name, out var id) ? id : throw new UsageException($"'{name}' is not a full 64-character blob ID");

    private static async Task<Id> ResolveAsync(Repository.Repository repository, FileType type, string prefix, CancellationToken cancellationToken)
    {
        var matches = (await repository.ListIdsAsync(type, cancellationToken)).Where(i => i.ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 when prefix.Length > 0 => matches[0],
            0 => throw new UsageException($"no {FileTypeNames.Folder(type)} file has an ID starting with '{prefix}'"),
            _ => throw new UsageException($"'{prefix}' is the start of {matches.Count} IDs in {FileTypeNames.Folder(type)}; give more characters"),
        };
    }
}
