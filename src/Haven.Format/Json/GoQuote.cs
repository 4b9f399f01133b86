// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Text;

namespace Haven.Format.Json;

/// <summary>
/// Go's <c>strconv.Quote</c> and <c>strconv.Unquote</c> as go1.19 does them, without the surrounding
/// quotes. restic stores each node name as Quote(raw name bytes), so these decide tree bytes and IDs.
/// </summary>
public static class GoQuote
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Quotes raw bytes: printable runes stay literal, invalid UTF-8 bytes become \xHH.</summary>
    public static string Quote(ReadOnlySpan<byte> raw)
    {
        var builder = new StringBuilder(raw.Length + 8);
        while (!raw.IsEmpty)
        {
            if (raw[0] < 0x80)
            {
                AppendEscapedRune(builder, raw[0]);
                raw = raw[1..];
                continue;
            }

            if (Rune.DecodeFromUtf8(raw, out Rune rune, out int consumed) != OperationStatus.Done)
            {
                AppendHexByte(builder, 'x', raw[0]);
                raw = raw[1..];
                continue;
            }

            AppendEscapedRune(builder, rune.Value);
            raw = raw[consumed..];
        }

        return builder.ToString();
    }

    private static void AppendEscapedRune(StringBuilder builder, int rune)
    {
        if (rune == '"' || rune == '\\')
        {
            builder.Append('\\').Append((char)rune);
            return;
        }

        if (GoPrintableRunes.IsPrint(rune))
        {
            AppendRune(builder, rune);
            return;
        }

        switch (rune)
        {
            case '\a': builder.Append("\\a"); return;
            case '\b': builder.Append("\\b"); return;
            case '\f': builder.Append("\\f"); return;
            case '\n': builder.Append("\\n"); return;
            case '\r': builder.Append("\\r"); return;
            case '\t': builder.Append("\\t"); return;
            case '\v': builder.Append("\\v"); return;
        }

        if (rune < ' ' || rune == 0x7F)
        {
            AppendHexByte(builder, 'x', (byte)rune);
        }
        else if (rune < 0x10000)
        {
            builder.Append("\\u");
            AppendHex(builder, (uint)rune, 4);
        }
        else
        {
            builder.Append("\\U");
            AppendHex(builder, (uint)rune, 8);
        }
    }

    private static void AppendRune(StringBuilder builder, int rune)
    {
        if (rune < 0x10000)
        {
            builder.Append((char)rune);
            return;
        }

        Span<char> pair = stackalloc char[2];
        new Rune(rune).EncodeToUtf16(pair);
        builder.Append(pair);
    }

    private static void AppendHexByte(StringBuilder builder, char kind, byte value)
    {
        builder.Append('\\').Append(kind).Append(LowerHex[value >> 4]).Append(LowerHex[value & 0xF]);
    }

    private static void AppendHex(StringBuilder builder, uint value, int digits)
    {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            builder.Append(LowerHex[(int)((value >> shift) & 0xF)]);
        }
    }

    /// <summary>
    /// Undoes <see cref="Quote"/> with Go's Unquote rules (\x, \u, \U, octal and short escapes).
    /// \x and octal escapes produce raw bytes, so the result may be invalid UTF-8.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid Go double-quoted string body.</exception>
    public static byte[] Unquote(string quotedWithoutSurroundingQuotes)
    {
        ArgumentNullException.ThrowIfNull(quotedWithoutSurroundingQuotes);
        return GoUnquoter.Unquote(quotedWithoutSurroundingQuotes);
    }
}
