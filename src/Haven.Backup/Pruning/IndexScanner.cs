// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Repository.Errors;

namespace Haven.Backup.Pruning;

/// <summary>
/// Reads the repository's index files one at a time, so a pass over every index entry holds one
/// file in memory, not all. A pack named by several index files (left by a prune interrupted
/// between writing the new index and deleting the old) is visited once per pass.
/// </summary>
internal sealed class IndexScanner
{
    private readonly Repository.Repository _repository;

    public IndexScanner(Repository.Repository repository, IReadOnlyList<Id> indexFiles)
    {
        _repository = repository;
        IndexFiles = indexFiles;
    }

    public IReadOnlyList<Id> IndexFiles { get; }

    public async IAsyncEnumerable<IndexPack> PacksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<Id>();
        foreach (var id in IndexFiles)
        {
            IndexFile file;
            try
            {
                file = IndexFile.Parse(await _repository.LoadUnpackedAsync(FileType.Index, id, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new DamagedDataException($"index {id} cannot be parsed: {error.Message}; nothing was pruned", error);
            }

            foreach (var pack in file.Packs)
            {
                if (seen.Add(pack.PackId))
                {
                    yield return pack;
                }
            }
        }
    }
}
