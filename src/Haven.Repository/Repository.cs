// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Compression;
using Haven.Format.Configuration;
using Haven.Format.Crypto;
using Haven.Repository.Errors;
using Haven.Repository.Indexing;
using Haven.Repository.Keys;
using Haven.Storage;

namespace Haven.Repository;

/// <summary>
/// An open repository: its backend, master key, config and (once loaded) index. Reads verify
/// every file and blob against its ID, so damaged data is reported, never returned.
/// </summary>
public sealed class Repository : IBlobReader, IAsyncDisposable
{
    private Repository(IBackend backend, MasterKey key, Id keyId, RepositoryConfig config, RepositoryOptions options)
    {
        Backend = backend;
        Key = key;
        KeyId = keyId;
        Config = config;
        Options = options;
    }

    public IBackend Backend { get; }

    public MasterKey Key { get; }

    /// <summary>The key file this repository was opened with.</summary>
    public Id KeyId { get; }

    public RepositoryConfig Config { get; }

    public RepositoryOptions Options { get; }

    public MasterIndex Index { get; } = new();

    public static async Task<Repository> InitAsync(IBackend backend, string password, RepositoryOptions options, ulong chunkerPolynomial, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(backend, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryExistsException($"a repository already exists at {backend.Location}; use it, or choose an empty location");
        }

        await backend.CreateAsync(cancellationToken).ConfigureAwait(false);
        var key = MasterKey.Generate();
        var config = new RepositoryConfig(2, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), chunkerPolynomial);
        var keyId = await KeyStore.SaveNewKeyAsync(backend, key, password, options, cancellationToken).ConfigureAwait(false);
        await backend.SaveAsync(FileHandle.Config, key.Seal(config.ToJson()), cancellationToken).ConfigureAwait(false);
        return new Repository(backend, key, keyId, config, options);
    }

    public static async Task<bool> ExistsAsync(IBackend backend, CancellationToken cancellationToken)
    {
        try
        {
            await backend.GetSizeAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (backend.IsNotFound(error))
        {
            return false;
        }
    }

    public static async Task<Repository> OpenAsync(IBackend backend, string password, RepositoryOptions options, CancellationToken cancellationToken)
    {
        using var timing = Diagnostics.PhaseTimings.Measure("open repository (with key derivation)");
        if (!await ExistsAsync(backend, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryNotFoundException($"there is no repository at {backend.Location}: check the location, or create one with 'haven init'");
        }

        var (keyId, key) = await KeyStore.OpenAsync(backend, password, cancellationToken).ConfigureAwait(false);
        byte[] sealedConfig = await backend.LoadAsync(FileHandle.Config, 0, 0, cancellationToken).ConfigureAwait(false);
        RepositoryConfig config;
        try
        {
            config = RepositoryConfig.Parse(key.Open(sealedConfig));
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or FormatException or InvalidDataException)
        {
            throw new DamagedDataException($"the config file of {backend.Location} is damaged: {error.Message}", error);
        }

        if (!new Format.Chunking.Polynomial(config.ChunkerPolynomial).IsIrreducible())
        {
            throw new DamagedDataException($"the config of {backend.Location} names chunker polynomial {config.ChunkerPolynomial:x}, which is not irreducible; the config is damaged");
        }

        if (options.CacheDirectory is not null)
        {
            backend = new Storage.Caching.CachingBackend(backend, Path.Combine(options.CacheDirectory, config.Id));
        }

        return new Repository(backend, key, keyId, config, options);
    }

    /// <summary>Loads every index file into <see cref="Index"/>.</summary>
    public async Task LoadIndexAsync(CancellationToken cancellationToken)
    {
        using var timing = Diagnostics.PhaseTimings.Measure("index loading");
        var names = new List<Id>();
        await foreach (var file in Backend.ListAsync(FileType.Index, cancellationToken).ConfigureAwait(false))
        {
            names.Add(Id.Parse(file.Name));
        }

        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            byte[] json = await LoadUnpackedAsync(FileType.Index, id, ct).ConfigureAwait(false);
            try
            {
                // Streamed into the index: no IndexFile with an object per blob is built.
                Index.AddJson(json);
            }
            catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new DamagedDataException($"index {id} cannot be parsed: {error.Message}; 'haven repair index' rebuilds the index from the packs", error);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Loads a snapshot, index or lock file, checks its hash against its name, decrypts and decompresses it.</summary>
    public async Task<byte[]> LoadUnpackedAsync(FileType type, Id id, CancellationToken cancellationToken)
    {
        var handle = FileHandle.For(type, id);
        byte[] stored = await Backend.LoadAsync(handle, 0, 0, cancellationToken).ConfigureAwait(false);
        if (Id.Hash(stored) != id)
        {
            throw new DamagedDataException($"{handle} is damaged: its content does not match its name");
        }

        try
        {
            return UnpackedFile.Decode(Key.Open(stored));
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            throw new DamagedDataException($"{handle} is damaged: {error.Message}", error);
        }
    }

    /// <summary>Compresses, encrypts and stores a snapshot, index or lock file; returns its ID.</summary>
    public async Task<Id> SaveUnpackedAsync(FileType type, byte[] json, CancellationToken cancellationToken)
    {
        byte[] stored = Key.Seal(UnpackedFile.Encode(json, Config.Version));
        var id = Id.Hash(stored);
        await Backend.SaveAsync(FileHandle.For(type, id), stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public bool HasBlob(BlobHandle handle) => Index.Contains(handle);

    public async Task<byte[]> LoadBlobAsync(BlobHandle handle, CancellationToken cancellationToken)
    {
        if (!Index.TryGet(handle, out var location))
        {
            throw new DamagedDataException($"blob {handle.Id} ({handle.Type.ToString().ToLowerInvariant()}) is not in the index: the repository is missing data; run 'haven check'");
        }

        var pack = FileHandle.For(FileType.Pack, location.PackId);
        byte[] sealedBlob = handle.Type == BlobType.Tree && Backend is Storage.Caching.CachingBackend cache
            ? await cache.LoadThroughCacheAsync(pack, location.Offset, (int)location.Length, cancellationToken).ConfigureAwait(false)
            : await Backend.LoadAsync(pack, location.Offset, (int)location.Length, cancellationToken).ConfigureAwait(false);
        return OpenBlob(handle, location, sealedBlob);
    }

    /// <summary>Decrypts one blob read from its pack and checks it hashes to its ID.</summary>
    public byte[] OpenBlob(BlobHandle handle, BlobLocation location, ReadOnlySpan<byte> sealedBlob)
    {
        byte[] plaintext;
        try
        {
            plaintext = Format.Packs.BlobCodec.Open(Key, sealedBlob, location.UncompressedLength);
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            throw DoesNotDecrypt(handle, location, error);
        }

        CheckHash(handle, location, plaintext);
        return plaintext;
    }

    /// <summary>
    /// Decrypts one blob into <paramref name="destination"/> (exactly <see cref="BlobLocation.PlaintextLength"/>
    /// bytes) and checks it hashes to its ID, allocating nothing; <paramref name="sealedBlob"/> is overwritten.
    /// </summary>
    public void OpenBlobInPlace(BlobHandle handle, BlobLocation location, Span<byte> sealedBlob, Span<byte> destination) =>
        OpenBlob(handle, location, sealedBlob, Format.Packs.BlobCodec.InPlaceScratch(sealedBlob), destination);

    /// <summary>
    /// <see cref="OpenBlobInPlace"/> for a blob that must not be written to (a mapped view of a pack):
    /// a compressed blob is decrypted into <paramref name="scratch"/>, at least its sealed length.
    /// </summary>
    public void OpenBlob(BlobHandle handle, BlobLocation location, ReadOnlySpan<byte> sealedBlob, Span<byte> scratch, Span<byte> destination)
    {
        try
        {
            Format.Packs.BlobCodec.Open(Key, sealedBlob, location.UncompressedLength, scratch, destination);
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            throw DoesNotDecrypt(handle, location, error);
        }

        CheckHash(handle, location, destination);
    }

    private static DamagedDataException DoesNotDecrypt(BlobHandle handle, BlobLocation location, Exception error) =>
        new($"pack {location.PackId} is damaged: blob {handle.Id} at offset {location.Offset} does not decrypt ({error.Message})", error);

    private static void CheckHash(BlobHandle handle, BlobLocation location, ReadOnlySpan<byte> plaintext)
    {
        if (Id.Hash(plaintext) != handle.Id)
        {
            throw new DamagedDataException($"pack {location.PackId} is damaged: blob {handle.Id} at offset {location.Offset} does not match its hash");
        }
    }

    public async Task<List<Id>> ListIdsAsync(FileType type, CancellationToken cancellationToken)
    {
        var ids = new List<Id>();
        await foreach (var file in Backend.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(Id.Parse(file.Name));
        }

        return ids;
    }

    public ValueTask DisposeAsync() => Backend.DisposeAsync();
}
