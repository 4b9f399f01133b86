// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Haven.Format;

namespace Haven.Backup.FileSystem;

/// <summary>
/// User and group names through NSS (getpwuid_r and friends), cached per instance: a backup asks
/// about the same few owners millions of times. struct passwd and struct group both hold the name
/// pointer at offset 0 and the 32-bit id at offset 16 on 64-bit Linux.
/// </summary>
internal sealed unsafe class AccountDatabase
{
    private const int RecordSize = 64;
    private const int IdOffset = 16;

    private readonly ConcurrentDictionary<uint, string?> _userNames = new();
    private readonly ConcurrentDictionary<uint, string?> _groupNames = new();
    private readonly ConcurrentDictionary<string, uint?> _userIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, uint?> _groupIds = new(StringComparer.Ordinal);

    public string? UserName(uint uid) => _userNames.GetOrAdd(uid, static id => Lookup(id, isGroup: false, null).Name);

    public string? GroupName(uint gid) => _groupNames.GetOrAdd(gid, static id => Lookup(id, isGroup: true, null).Name);

    public uint? UserId(string name) => _userIds.GetOrAdd(name, static n => Lookup(0, isGroup: false, n).Id);

    public uint? GroupId(string name) => _groupIds.GetOrAdd(name, static n => Lookup(0, isGroup: true, n).Id);

    /// <summary>Looks up by id, or by name when <paramref name="name"/> is set; (null, null) when unknown.</summary>
    private static (string? Name, uint? Id) Lookup(uint id, bool isGroup, string? name)
    {
        Span<byte> record = stackalloc byte[RecordSize];
        byte[]? encodedName = name is null ? null : [.. RawName.Encode(name), 0];
        for (int size = 1024; size <= 1 << 24; size *= 2)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                // Pinned for the whole lookup: the result's name pointer points into the buffer.
                fixed (byte* pinned = buffer)
                {
                    int error = Call(id, isGroup, encodedName, record, buffer, out nint result);
                    if (error == ErrorNumber.Range)
                    {
                        continue;
                    }

                    if (error != 0 || result == 0)
                    {
                        return (null, null);
                    }

                    var namePointer = (byte*)BinaryPrimitives.ReadInt64LittleEndian(record);
                    var decoded = RawName.Decode(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(namePointer));
                    return (decoded, BinaryPrimitives.ReadUInt32LittleEndian(record[IdOffset..]));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return (null, null);
    }

    private static int Call(uint id, bool isGroup, byte[]? name, Span<byte> record, Span<byte> buffer, out nint result) =>
        (isGroup, name) switch
        {
            (false, null) => Libc.getpwuid_r(id, record, buffer, (nuint)buffer.Length, out result),
            (true, null) => Libc.getgrgid_r(id, record, buffer, (nuint)buffer.Length, out result),
            (false, _) => Libc.getpwnam_r(name, record, buffer, (nuint)buffer.Length, out result),
            (true, _) => Libc.getgrnam_r(name, record, buffer, (nuint)buffer.Length, out result),
        };
}
