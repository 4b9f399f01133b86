// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Security.Cryptography;
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Format.Packs;
using Haven.Storage;
using Microsoft.Win32.SafeHandles;

namespace Haven.Repository.Writing;

/// <summary>
/// A pack assembled in a temporary file instead of memory, as restic does: a backup has an open
/// pack per blob type and finished ones waiting for or in upload, 16 MiB each, which in memory
/// were most of its peak. The file has no name while it is filled, so nothing is left behind
/// whatever happens to the process, and the repository only ever receives the finished pack
/// through the backend's atomic save. A local backend hands out a nameless file in the repository
/// itself and names the finished pack there (no copy); for the others it is a temporary file,
/// unlinked as soon as it is open. Not thread-safe: the caller serialises <see cref="Add"/>.
/// </summary>
internal sealed class SpooledPack : IDisposable
{
    private readonly MasterKey _key;
    private readonly SafeFileHandle _file;

    // What closes the file: the handle itself, or the stream that created the temporary file.
    private readonly IDisposable _owner;
    private readonly string _location;
    private readonly List<PackedBlob> _blobs = [];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    /// <param name="backend">Asked first for a file where it keeps its files (<see cref="IBackend.CreateSpoolFile"/>), which it then names instead of copying.</param>
    /// <param name="directory">The temporary folder otherwise.</param>
    public SpooledPack(MasterKey key, IBackend backend, string directory)
    {
        _key = key;
        if (backend.CreateSpoolFile() is { } spool)
        {
            _file = spool;
            _owner = spool;
            _location = backend.Location;
        }
        else
        {
            var stream = CreateTemporary(directory);
            _file = stream.SafeFileHandle;
            _owner = stream;
            _location = directory;
        }
    }

    private static FileStream CreateTemporary(string directory)
    {
        string path = Path.Combine(directory, $"haven-pack-{Guid.NewGuid():N}.tmp");
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                BufferSize = 0,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            System.IO.File.Delete(path);
            return stream;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new IOException($"cannot create a temporary pack file in {directory}: {error.Message}; point TMPDIR to a writable folder with space for a few packs", error);
        }
    }

    /// <summary>The file holding the pack; after <see cref="FinishAsync"/> its first <see cref="Length"/> bytes are the pack.</summary>
    public SafeFileHandle File => _file;

    /// <summary>Bytes written so far (blob data, and after finishing the header too).</summary>
    public long Length => _length;

    public int Count => _blobs.Count;

    public void Add(BlobHandle handle, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
    {
        if (_length + sealedBlob.Length > uint.MaxValue)
        {
            throw new InvalidOperationException("a pack cannot grow beyond 4 GiB: offsets are 32-bit");
        }

        try
        {
            RandomAccess.Write(File, sealedBlob, _length);
        }
        catch (IOException error) when (StorageException.IsDiskFull(error))
        {
            throw DiskFull(error);
        }

        // Hashed while it is at hand: reading the pack back to hash it when finished cost a copy of every byte.
        _hash.AppendData(sealedBlob);
        _blobs.Add(new PackedBlob(handle, (uint)_length, (uint)sealedBlob.Length, uncompressedLength));
        _length += sealedBlob.Length;
    }

    /// <summary>Appends the sealed header and its length, and names the pack by the SHA-256 of the whole file.</summary>
    public async Task<(Id Id, IReadOnlyList<PackedBlob> Blobs)> FinishAsync(CancellationToken cancellationToken)
    {
        byte[] header = PackHeader.Encode(_blobs);
        int sealedLength = header.Length + MasterKey.Overhead;
        byte[] trailer = new byte[sealedLength + 4];
        _key.Seal(header, trailer);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(sealedLength), (uint)sealedLength);
        try
        {
            await RandomAccess.WriteAsync(File, trailer, _length, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException error) when (StorageException.IsDiskFull(error))
        {
            throw DiskFull(error);
        }

        _length += trailer.Length;

        _hash.AppendData(trailer);
        return (new Id(_hash.GetHashAndReset()), _blobs.ToArray());
    }

    // The pack fills in the repository itself when the backend provides the file, else in the temporary folder.
    private StorageException DiskFull(IOException error) =>
        new($"cannot write a pack in {_location}: no space left on the device; free space and run the command again", error, permanent: true);

    public void Dispose()
    {
        _owner.Dispose();
        _hash.Dispose();
    }
}
