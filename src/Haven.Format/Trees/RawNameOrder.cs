// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>
/// restic orders nodes by Go string comparison of the raw name bytes. string.CompareOrdinal compares
/// UTF-16 code units and puts U+E000..U+FFFF after supplementary characters, so compare bytes.
/// </summary>
internal sealed class RawNameOrder : IComparer<byte[]>
{
    public static RawNameOrder Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
