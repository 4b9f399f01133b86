// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Text;
using Haven.Format;

namespace Haven.Backup.FileSystem;

/// <summary>
/// A path as the NUL-terminated raw bytes libc wants. The string may hold <see cref="RawName"/>
/// escapes, which become the original bytes again. Short paths live in the caller's stack buffer;
/// long ones in a pooled array that <see cref="Dispose"/> returns.
/// </summary>
internal ref struct NativePath
{
    public const int StackSize = 256;

    private byte[]? _rented;

    public NativePath(string path, Span<byte> stackBuffer)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A path cannot contain a NUL character.", nameof(path));
        }

        if (RawName.HasEscapes(path))
        {
            byte[] raw = RawName.Encode(path);
            Span<byte> target = Allocate(raw.Length + 1, stackBuffer);
            raw.CopyTo(target);
            target[raw.Length] = 0;
            Bytes = target;
            return;
        }

        int max = path.Length <= stackBuffer.Length / 3 - 1
            ? path.Length * 3
            : Encoding.UTF8.GetByteCount(path);
        Span<byte> buffer = Allocate(max + 1, stackBuffer);
        int written = Encoding.UTF8.GetBytes(path, buffer);
        buffer[written] = 0;
        Bytes = buffer[..(written + 1)];
    }

    /// <summary>The encoded path including its terminating NUL.</summary>
    public Span<byte> Bytes { get; }

    public readonly void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }

    private Span<byte> Allocate(int length, Span<byte> stackBuffer)
    {
        if (length <= stackBuffer.Length)
        {
            return stackBuffer[..length];
        }

        _rented = ArrayPool<byte>.Shared.Rent(length);
        return _rented.AsSpan(0, length);
    }
}
