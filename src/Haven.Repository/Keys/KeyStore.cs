// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Repository.Errors;
using Haven.Storage;

namespace Haven.Repository.Keys;

/// <summary>
/// The key files of a repository. Each wraps the same master key with one password; adding a key
/// never touches the others, and the key a process opened with cannot be removed by that process.
/// </summary>
public static class KeyStore
{
    public static async Task<(Id KeyId, MasterKey Key)> OpenAsync(IBackend backend, string password, CancellationToken cancellationToken)
    {
        var damaged = new List<string>();
        int tried = 0;
        await foreach (var file in backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            var id = Id.Parse(file.Name);
            KeyFile keyFile;
            try
            {
                byte[] json = await backend.LoadAsync(new FileHandle(FileType.Key, file.Name), 0, 0, cancellationToken).ConfigureAwait(false);
                keyFile = KeyFile.Parse(json);
            }
            catch (FormatException error)
            {
                // restic stops at a broken key file; Haven tries the others so one bad file locks nobody out.
                damaged.Add($"keys/{id.ToShortString()}: {error.Message}");
                continue;
            }

            tried++;
            MasterKey? key;
            bool opened;
            using (Diagnostics.PhaseTimings.Measure("key derivation"))
            {
                opened = keyFile.TryOpen(password, out key);
            }

            if (opened)
            {
                return (id, key!);
            }
        }

        if (tried == 0 && damaged.Count == 0)
        {
            throw new RepositoryNotFoundException($"the repository at {backend.Location} has no key files: it is incomplete or not a repository");
        }

        string note = damaged.Count > 0 ? $" ({damaged.Count} damaged key file(s) skipped: {string.Join("; ", damaged)})" : string.Empty;
        throw new WrongPasswordException($"wrong password or no key found: none of the {tried} key file(s) of {backend.Location} opens with this password{note}");
    }

    public static async Task<Id> SaveNewKeyAsync(IBackend backend, MasterKey key, string password, RepositoryOptions options, CancellationToken cancellationToken)
    {
        var keyFile = KeyFile.Create(password, key, options.CalibrateKeyParameters?.Invoke() ?? options.KeyParameters, options.Identity.Username, options.Identity.Hostname, options.Time.GetLocalNow());
        byte[] json = keyFile.ToJson();
        var id = Id.Hash(json);
        await backend.SaveAsync(FileHandle.For(FileType.Key, id), json, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public static async Task<List<KeyDescription>> ListAsync(IBackend backend, CancellationToken cancellationToken)
    {
        var keys = new List<KeyDescription>();
        await foreach (var file in backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            var id = Id.Parse(file.Name);
            try
            {
                var keyFile = KeyFile.Parse(await backend.LoadAsync(new FileHandle(FileType.Key, file.Name), 0, 0, cancellationToken).ConfigureAwait(false));
                keys.Add(new KeyDescription(id, keyFile.Username, keyFile.Hostname, keyFile.Created, null));
            }
            catch (FormatException error)
            {
                keys.Add(new KeyDescription(id, string.Empty, string.Empty, string.Empty, error.Message));
            }
        }

        keys.Sort((a, b) => string.CompareOrdinal(a.Created, b.Created));
        return keys;
    }

    public static async Task RemoveAsync(Repository repository, Id keyId, CancellationToken cancellationToken)
    {
        if (keyId == repository.KeyId)
        {
            throw new RepositoryException($"key {keyId.ToShortString()} is the one this command opened the repository with; remove it using another key's password");
        }

        var handle = FileHandle.For(FileType.Key, keyId);
        try
        {
            await repository.Backend.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (repository.Backend.IsNotFound(error))
        {
            throw new RepositoryException($"there is no key {keyId}; 'haven key list' shows the keys", error);
        }
    }

    /// <summary>Replaces the current key's password: the new key file is durable before the old one goes.</summary>
    public static async Task<Id> ChangePasswordAsync(Repository repository, string newPassword, CancellationToken cancellationToken)
    {
        var id = await SaveNewKeyAsync(repository.Backend, repository.Key, newPassword, repository.Options, cancellationToken).ConfigureAwait(false);
        await repository.Backend.RemoveAsync(FileHandle.For(FileType.Key, repository.KeyId), cancellationToken).ConfigureAwait(false);
        return id;
    }
}
