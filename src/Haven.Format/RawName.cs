// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Format;

/// <summary>
/// File names on Linux are arbitrary bytes, but most code wants strings. Haven decodes names as
/// UTF-8 and maps each byte that is not part of valid UTF-8 to a lone surrogate U+DC80..U+DCFF
/// (Python's "surrogateescape"). Valid UTF-8 never decodes to a surrogate, so the mapping is
/// reversible: <see cref="Encode"/> gives back exactly the bytes <see cref="Decode"/> was given.
/// Never hand such a string to a .NET file API: it would write U+FFFD instead of the raw byte.
/// </summary>
public static class RawName
{
    private const char EscapeBase = '\uDC00';

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return DecodeSlow(bytes);
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static string DecodeSlow(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                int n = rune.EncodeToUtf16(chars);
                builder.Append(chars[..n]);
                bytes = bytes[consumed..];
            }
            else
            {
                builder.Append((char)(EscapeBase + bytes[0]));
                bytes = bytes[1..];
            }
        }

        return builder.ToString();
    }

    public static byte[] Encode(string name)
    {
        if (!HasEscapes(name))
        {
            return Encoding.UTF8.GetBytes(name);
        }

        var output = new List<byte>(name.Length + 8);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c >= '\uDC80' && c <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(name[i - 1])))
            {
                output.Add((byte)(c - EscapeBase));
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                int n = new Rune(c, name[i + 1]).EncodeToUtf8(buffer);
                output.AddRange(buffer[..n]);
                i++;
                continue;
            }

            int written = (Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar).EncodeToUtf8(buffer);
            output.AddRange(buffer[..written]);
        }

        return output.ToArray();
    }

    /// <summary>True when the name holds bytes that are not valid UTF-8 (so a lossy display differs).</summary>
    public static bool HasEscapes(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c >= '\uDC80' && c <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(name[i - 1])))
            {
                return true;
            }
        }

        return false;
    }
}
