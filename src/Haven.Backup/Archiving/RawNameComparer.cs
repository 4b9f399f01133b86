// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Archiving;

/// <summary>Orders names by their raw bytes, the order restic requires of tree nodes.</summary>
internal sealed class RawNameComparer : IComparer<string>
{
    public static RawNameComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        if (IsAscii(x) && IsAscii(y))
        {
            return string.CompareOrdinal(x, y);
        }

        return RawName.Encode(x).AsSpan().SequenceCompareTo(RawName.Encode(y));
    }

    private static bool IsAscii(string s) => System.Text.Ascii.IsValid(s);
}
