// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Trees;

namespace Haven.Format.Tests.Trees;

/// <summary>Field-by-field node equality that treats "empty" as JSON does (empty text and lists are omitted).</summary>
internal static class NodeAssert
{
    public static void Equal(Node expected, Node actual)
    {
        Assert.Equal(RawName.Encode(expected.Name), RawName.Encode(actual.Name));
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.ModTime, actual.ModTime);
        Assert.Equal(expected.AccessTime, actual.AccessTime);
        Assert.Equal(expected.ChangeTime, actual.ChangeTime);
        Assert.Equal((expected.Uid, expected.Gid), (actual.Uid, actual.Gid));
        Assert.Equal(Lossy(expected.User), actual.User);
        Assert.Equal(Lossy(expected.Group), actual.Group);
        Assert.Equal(Lossy(expected.Error), actual.Error);
        Assert.Equal(RawName.Encode(expected.LinkTarget ?? ""), RawName.Encode(actual.LinkTarget ?? ""));
        Assert.Equal((expected.Inode, expected.DeviceId, expected.Size, expected.Links, expected.Device), (actual.Inode, actual.DeviceId, actual.Size, actual.Links, actual.Device));
        Assert.Equal(expected.Content, actual.Content);
        Assert.Equal(expected.Subtree, actual.Subtree);
        var expectedXattrs = expected.ExtendedAttributes is { Count: > 0 } list ? list : null;
        Assert.Equal(expectedXattrs?.Select(x => (x.Name, x.Value)), actual.ExtendedAttributes?.Select(x => (x.Name, x.Value)));
    }

    // Only "name" and "linktarget" keep raw bytes; other text goes through plain JSON and turns lossy.
    // Go replaces each invalid byte with U+FFFD (Encoding.UTF8 replaces whole invalid sequences).
    private static string? Lossy(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var builder = new System.Text.StringBuilder();
        ReadOnlySpan<byte> bytes = RawName.Encode(text);
        while (!bytes.IsEmpty)
        {
            bool ok = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out int consumed) == System.Buffers.OperationStatus.Done;
            builder.Append((ok ? rune : System.Text.Rune.ReplacementChar).ToString());
            bytes = bytes[(ok ? consumed : 1)..];
        }

        return builder.ToString();
    }
}
