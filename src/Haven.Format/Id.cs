// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Haven.Format;

/// <summary>
/// A SHA-256 digest naming a blob or a repository file. Written as 64 lowercase hex characters,
/// the only spelling restic builds paths from.
/// </summary>
public readonly struct Id : IEquatable<Id>, IComparable<Id>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public Id(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an ID is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>The all-zero ID, which restic treats as "no ID".</summary>
    public static Id Null => default;

    public bool IsNull => (_a | _b | _c | _d) == 0;

    public static Id Hash(ReadOnlySpan<byte> data)
    {
        long started = Diagnostics.StageClock.Start();
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        Diagnostics.StageClock.Stop(Diagnostics.Stage.Hash, started, data.Length);
        return new Id(digest);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    public static Id Parse(string hex)
    {
        if (!TryParse(hex, out var id))
        {
            throw new FormatException($"'{hex}' is not an ID: expected 64 hex characters");
        }

        return id;
    }

    public static bool TryParse([NotNullWhen(true)] string? hex, out Id id) => TryParse(hex.AsSpan(), out id);

    public static bool TryParse(ReadOnlySpan<char> hex, out Id id)
    {
        id = default;
        if (hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new Id(bytes);
        return true;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The first eight hex characters, as restic prints IDs in listings.</summary>
    public string ToShortString() => ToString()[..8];

    public bool Equals(Id other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Id other && Equals(other);

    // SHA-256 output is uniform, so any eight bytes make a good hash.
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public int CompareTo(Id other)
    {
        int c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        if (c != 0)
        {
            return c;
        }

        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(Id left, Id right) => left.Equals(right);

    public static bool operator !=(Id left, Id right) => !left.Equals(right);

    public static bool operator <(Id left, Id right) => left.CompareTo(right) < 0;

    public static bool operator >(Id left, Id right) => left.CompareTo(right) > 0;

    public static bool operator <=(Id left, Id right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Id left, Id right) => left.CompareTo(right) >= 0;
}
