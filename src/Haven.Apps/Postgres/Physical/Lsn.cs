// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>A PostgreSQL write-ahead log position, written "X/Y" (two hexadecimal halves of 32 bits).</summary>
public readonly record struct Lsn(ulong Value) : IComparable<Lsn>
{
    public static Lsn Parse(string text) =>
        TryParse(text, out var lsn) ? lsn : throw new FormatException($"'{text}' is not a WAL position of the form X/Y in hexadecimal, e.g. 0/3000148");

    public static bool TryParse(string? text, out Lsn lsn)
    {
        lsn = default;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || slash > 8 || text.Length - slash - 1 is < 1 or > 8
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint low))
        {
            return false;
        }

        lsn = new Lsn(((ulong)high << 32) | low);
        return true;
    }

    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    public static bool operator <(Lsn left, Lsn right) => left.Value < right.Value;

    public static bool operator >(Lsn left, Lsn right) => left.Value > right.Value;

    public static bool operator <=(Lsn left, Lsn right) => left.Value <= right.Value;

    public static bool operator >=(Lsn left, Lsn right) => left.Value >= right.Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
