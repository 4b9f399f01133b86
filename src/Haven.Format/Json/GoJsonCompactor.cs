// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;

namespace Haven.Format.Json;

/// <summary>
/// Go's <c>json.Compact</c> with HTML escaping, which is what json.Marshal does to a RawMessage:
/// whitespace outside strings is dropped; &lt; &gt; &amp; U+2028 U+2029 inside strings are escaped.
/// </summary>
internal static class GoJsonCompactor
{
    public static void Compact(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        bool inString = false;
        bool escaped = false;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (!inString)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
                {
                    continue;
                }

                inString = b == '"';
                Put(output, b);
                continue;
            }

            if (escaped)
            {
                escaped = false;
            }
            else if (b == '\\')
            {
                escaped = true;
            }
            else if (b == '"')
            {
                inString = false;
            }
            else if (b is (byte)'<' or (byte)'>' or (byte)'&')
            {
                Put(output, b == '<' ? "\\u003c"u8 : b == '>' ? "\\u003e"u8 : "\\u0026"u8);
                continue;
            }
            else if (b == 0xE2 && i + 2 < json.Length && json[i + 1] == 0x80 && (json[i + 2] & 0xFE) == 0xA8)
            {
                Put(output, json[i + 2] == 0xA8 ? "\\u2028"u8 : "\\u2029"u8);
                i += 2;
                continue;
            }

            Put(output, b);
        }
    }

    private static void Put(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void Put(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
