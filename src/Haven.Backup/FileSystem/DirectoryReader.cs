// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Buffers.Binary;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// Lists a directory with getdents64(2). Each record is struct linux_dirent64: d_ino (8 bytes),
/// d_off (8), d_reclen (2), d_type (1), then the NUL-terminated name padded to d_reclen.
/// </summary>
internal static class DirectoryReader
{
    private const int BufferSize = 32 * 1024;
    private const int NameOffset = 19;

    public static List<string> Read(SafeFileHandle directory, string displayPath)
    {
        // The descriptor may have been read before; listings always start at the beginning.
        FileSystemException.ThrowOnError(Libc.lseek(directory, 0, 0), "lseek", displayPath);
        var names = new List<string>();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                nint count = Libc.getdents64(directory, buffer, (nuint)buffer.Length);
                FileSystemException.ThrowOnError(count, "getdents64", displayPath);
                if (count == 0)
                {
                    return names;
                }

                AddNames(buffer.AsSpan(0, (int)count), names);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddNames(ReadOnlySpan<byte> records, List<string> names)
    {
        while (!records.IsEmpty)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(records[16..]);
            ReadOnlySpan<byte> name = records[NameOffset..length];
            name = name[..name.IndexOf((byte)0)];
            if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
            {
                names.Add(RawName.Decode(name));
            }

            records = records[length..];
        }
    }
}
