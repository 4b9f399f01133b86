// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Runtime.InteropServices;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// Extended attributes through the l* calls, which never follow a symlink, or the f* calls on an
/// open file. A file system without xattr support has no attributes rather than an error.
/// </summary>
internal static class ExtendedAttributes
{
    private const int MaxSize = 16 * 1024 * 1024;

    public static List<(string Name, byte[] Value)> Read(string path)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        var attributes = new List<(string Name, byte[] Value)>();
        byte[]? list = ReadGrowing(native.Bytes, default, path);
        if (list is null)
        {
            return attributes;
        }

        ReadOnlySpan<byte> names = list;
        while (!names.IsEmpty)
        {
            int end = names.IndexOf((byte)0);
            ReadOnlySpan<byte> name = names[..(end + 1)];
            byte[]? value = ReadGrowing(native.Bytes, name, path);
            if (value is not null)
            {
                attributes.Add((RawName.Decode(name[..end]), value));
            }

            names = names[(end + 1)..];
        }

        return attributes;
    }

    public static void Write(string path, string name, byte[] value)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        using var nativeName = new NativePath(name, stackalloc byte[NativePath.StackSize]);
        int result = Libc.lsetxattr(native.Bytes, nativeName.Bytes, value, (nuint)value.Length, 0);
        FileSystemException.ThrowOnError(result, "lsetxattr", path);
    }

    public static void Write(SafeFileHandle handle, string path, string name, byte[] value)
    {
        using var nativeName = new NativePath(name, stackalloc byte[NativePath.StackSize]);
        int result = Libc.fsetxattr(handle, nativeName.Bytes, value, (nuint)value.Length, 0);
        FileSystemException.ThrowOnError(result, "fsetxattr", path);
    }

    /// <summary>
    /// With an empty <paramref name="name"/> the NUL-separated name list, otherwise one value.
    /// Null when the file system has no xattrs or the attribute vanished since it was listed.
    /// </summary>
    private static byte[]? ReadGrowing(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, string displayPath)
    {
        bool list = name.IsEmpty;
        string operation = list ? "llistxattr" : "lgetxattr";

        // Linux caps names lists and values at 64 KiB; ERANGE means it grew since the last try.
        for (int size = 1024; size <= MaxSize; size *= 2)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                nint length = list
                    ? Libc.llistxattr(path, buffer, (nuint)buffer.Length)
                    : Libc.lgetxattr(path, name, buffer, (nuint)buffer.Length);
                if (length >= 0)
                {
                    return buffer.AsSpan(0, (int)length).ToArray();
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case ErrorNumber.Range:
                        continue;
                    case ErrorNumber.NotSupported or ErrorNumber.NoData:
                        return null;
                    default:
                        throw new FileSystemException(errno, operation, displayPath);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        throw new FileSystemException(ErrorNumber.Range, operation, displayPath);
    }
}
