// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Backup.Restoring;

/// <summary>Loads and parses tree blobs; a tree that does not parse is reported as damaged data.</summary>
internal sealed class TreeLoader
{
    private readonly Repository.Repository _repository;

    public TreeLoader(Repository.Repository repository)
    {
        _repository = repository;
    }

    public async Task<Tree> LoadAsync(Id id, CancellationToken cancellationToken)
    {
        byte[] json = await _repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), cancellationToken).ConfigureAwait(false);
        long started = StageClock.Start();
        try
        {
            var tree = Tree.Parse(json);
            StageClock.Stop(Stage.Tree, started, json.Length);
            return tree;
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new DamagedDataException($"tree {id} cannot be parsed: {error.Message}", error);
        }
    }
}
