// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>readlinkat(2) with a buffer that grows until the whole target fits.</summary>
internal static class LinkReader
{
    public static string Read(SafeFileHandle directory, string path)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        Span<byte> first = stackalloc byte[256];
        nint length = Libc.readlinkat(directory, native.Bytes, first, (nuint)first.Length);
        FileSystemException.ThrowOnError(length, "readlink", path);
        if (length < first.Length)
        {
            return RawName.Decode(first[..(int)length]);
        }

        // readlink truncates silently, so a full buffer means "maybe longer": try again bigger.
        for (int size = 4096; ; size *= 2)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                length = Libc.readlinkat(directory, native.Bytes, buffer, (nuint)buffer.Length);
                FileSystemException.ThrowOnError(length, "readlink", path);
                if (length < buffer.Length)
                {
                    return RawName.Decode(buffer.AsSpan(0, (int)length));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
