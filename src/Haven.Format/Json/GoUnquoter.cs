// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Format.Json;

/// <summary>The body of Go's strconv.Unquote for a double-quoted string (go1.19).</summary>
internal static class GoUnquoter
{
    public static byte[] Unquote(string text)
    {
        var output = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' || c == '\n')
            {
                throw Invalid(text, i, c == '"' ? "unescaped quote" : "unescaped newline");
            }

            if (c != '\\')
            {
                // A lone surrogate cannot come from UTF-8; Go would see U+FFFD there.
                Rune rune = Rune.TryGetRuneAt(text, i, out Rune decoded) ? decoded : Rune.ReplacementChar;
                int n = rune.EncodeToUtf8(utf8);
                output.AddRange(utf8[..n]);
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
                continue;
            }

            i = UnquoteEscape(text, i, output, utf8);
        }

        return output.ToArray();
    }

    // Decodes the escape starting at the backslash text[start]; returns the index after it.
    private static int UnquoteEscape(string text, int start, List<byte> output, Span<byte> utf8)
    {
        if (start + 1 >= text.Length)
        {
            throw Invalid(text, start, "backslash at the end");
        }

        char kind = text[start + 1];
        int i = start + 2;
        switch (kind)
        {
            case 'a': output.Add(0x07); return i;
            case 'b': output.Add(0x08); return i;
            case 'f': output.Add(0x0C); return i;
            case 'n': output.Add(0x0A); return i;
            case 'r': output.Add(0x0D); return i;
            case 't': output.Add(0x09); return i;
            case 'v': output.Add(0x0B); return i;
            case '\\': output.Add((byte)'\\'); return i;
            case '"': output.Add((byte)'"'); return i;
            case 'x':
                output.Add((byte)ReadHex(text, i, 2));
                return i + 2;
            case 'u':
            case 'U':
                int digits = kind == 'u' ? 4 : 8;
                uint value = ReadHex(text, i, digits);
                if (!Rune.IsValid(value))
                {
                    throw Invalid(text, start, "escape is not a valid rune");
                }

                int n = new Rune(value).EncodeToUtf8(utf8);
                output.AddRange(utf8[..n]);
                return i + digits;
            case >= '0' and <= '7':
                return ReadOctal(text, start, output);
            default:
                throw Invalid(text, start, $"unknown escape \\{kind}");
        }
    }

    private static int ReadOctal(string text, int start, List<byte> output)
    {
        if (start + 4 > text.Length)
        {
            throw Invalid(text, start, "octal escape needs three digits");
        }

        int value = 0;
        for (int j = start + 1; j < start + 4; j++)
        {
            int digit = text[j] - '0';
            if (digit < 0 || digit > 7)
            {
                throw Invalid(text, start, "octal escape needs three digits");
            }

            value = (value << 3) | digit;
        }

        if (value > 255)
        {
            throw Invalid(text, start, "octal escape above \\377");
        }

        output.Add((byte)value);
        return start + 4;
    }

    private static uint ReadHex(string text, int start, int digits)
    {
        if (start + digits > text.Length)
        {
            throw Invalid(text, start, "escape is too short");
        }

        uint value = 0;
        for (int j = start; j < start + digits; j++)
        {
            int digit = HexValue(text[j]);
            if (digit < 0)
            {
                throw Invalid(text, start, "escape has a non-hex digit");
            }

            value = (value << 4) | (uint)digit;
        }

        return value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static FormatException Invalid(string text, int index, string reason) =>
        new($"cannot unquote Go string at offset {index} ({reason}): \"{text}\"");
}
