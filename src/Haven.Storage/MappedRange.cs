// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage;

/// <summary>
/// A read-only view of part of a stored file, mapped from the page cache (mmap with MAP_POPULATE):
/// reading a local pack this way skips the copy into a buffer that a read makes, a third of what the
/// kernel spends on a restore's pack reads. Stored files are written once and never changed in place,
/// so the view cannot shrink under its reader (removing the file leaves a mapping intact).
/// </summary>
public sealed unsafe partial class MappedRange : IDisposable
{
    private const int ProtectRead = 0x1;
    private const int MapShared = 0x1;
    private const int MapPopulate = 0x8000;

    private static readonly long s_pageSize = Environment.SystemPageSize;

    private readonly nint _mapping;
    private readonly nuint _mappedLength;
    private readonly int _skip;
    private int _disposed;

    private MappedRange(nint mapping, nuint mappedLength, int skip, int length)
    {
        _mapping = mapping;
        _mappedLength = mappedLength;
        _skip = skip;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The bytes; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return new ReadOnlySpan<byte>((byte*)_mapping + _skip, Length);
        }
    }

    /// <summary>Maps <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="file"/>, or returns null when the kernel will not.</summary>
    internal static MappedRange? TryCreate(SafeFileHandle file, long offset, int length)
    {
        if (length <= 0)
        {
            return null;
        }

        long start = offset - (offset % s_pageSize);
        int skip = (int)(offset - start);
        nuint mappedLength = (nuint)(skip + length);
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            nint mapping = Map(0, mappedLength, ProtectRead, MapShared | MapPopulate, (int)file.DangerousGetHandle(), start);
            return mapping == -1 ? null : new MappedRange(mapping, mappedLength, skip, length);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = Unmap(_mapping, _mappedLength);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Unmap(nint address, nuint length);
}
