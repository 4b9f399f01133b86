// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Storage.Local;

namespace Haven.Server;

/// <summary>
/// The repositories below the server's root, each an ordinary local repository (so haven and
/// restic can open the folder directly), reached through <see cref="LocalBackend"/>.
/// </summary>
internal sealed class RepositoryStore(string root)
{
    private readonly string _root = Path.GetFullPath(root);
    private readonly ConcurrentDictionary<string, LocalBackend> _backends = new(StringComparer.Ordinal);

    public string PathOf(string repository) => repository.Length == 0 ? _root : Path.Combine(_root, repository);

    public bool Exists(string repository) => Directory.Exists(PathOf(repository));

    public LocalBackend BackendFor(string repository) => _backends.GetOrAdd(repository, r => new LocalBackend(PathOf(r)));
}
