// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Haven.Format.Json;

/// <summary>
/// An append-only UTF-8 buffer that writes JSON exactly as Go's <c>encoding/json</c> (go1.19) does:
/// no whitespace, HTML-safe string escaping, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd.
/// Utf8JsonWriter escapes differently, and tree IDs are hashes of these bytes.
/// The writer inserts commas; it does not check that the calls form valid JSON.
/// </summary>
public sealed class GoJsonWriter
{
    private const string LowerHex = "0123456789abcdef";

    private readonly ArrayBufferWriter<byte> _buffer;

    // True when the next value or property in the current container needs a leading comma.
    private bool _needsComma;

    public GoJsonWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(Math.Max(16, initialCapacity));
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteStartObject()
    {
        StartValue();
        WriteByte((byte)'{');
        _needsComma = false;
    }

    public void WriteEndObject()
    {
        WriteByte((byte)'}');
        _needsComma = true;
    }

    public void WriteStartArray()
    {
        StartValue();
        WriteByte((byte)'[');
        _needsComma = false;
    }

    public void WriteEndArray()
    {
        WriteByte((byte)']');
        _needsComma = true;
    }

    /// <summary>Writes <c>"name":</c>; the next value call writes the value without a comma.</summary>
    public void WritePropertyName(string name)
    {
        StartValue();
        AppendQuoted(name);
        WriteByte((byte)':');
        _needsComma = false;
    }

    public void WriteString(string value)
    {
        StartValue();
        AppendQuoted(value);
        _needsComma = true;
    }

    /// <summary>Writes a Go string given as raw bytes: each invalid UTF-8 byte becomes \ufffd.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        StartValue();
        WriteByte((byte)'"');
        while (!utf8.IsEmpty)
        {
            if (utf8[0] < 0x80)
            {
                AppendAscii(utf8[0]);
                utf8 = utf8[1..];
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8, out Rune rune, out int consumed) != OperationStatus.Done)
            {
                WriteAscii("\\ufffd");
                utf8 = utf8[1..];
                continue;
            }

            AppendNonAscii(rune, utf8[..consumed]);
            utf8 = utf8[consumed..];
        }

        WriteByte((byte)'"');
        _needsComma = true;
    }

    public void WriteNumber(long value)
    {
        StartValue();
        Utf8Formatter.TryFormat(value, _buffer.GetSpan(20), out int written);
        _buffer.Advance(written);
        _needsComma = true;
    }

    public void WriteNumber(ulong value)
    {
        StartValue();
        Utf8Formatter.TryFormat(value, _buffer.GetSpan(20), out int written);
        _buffer.Advance(written);
        _needsComma = true;
    }

    public void WriteBool(bool value)
    {
        StartValue();
        WriteAscii(value ? "true" : "false");
        _needsComma = true;
    }

    public void WriteNull()
    {
        StartValue();
        WriteAscii("null");
        _needsComma = true;
    }

    /// <summary>Writes bytes as a standard base64 string with padding, as Go encodes []byte.</summary>
    public void WriteBase64(ReadOnlySpan<byte> bytes)
    {
        StartValue();
        WriteByte((byte)'"');
        int length = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        Base64.EncodeToUtf8(bytes, _buffer.GetSpan(length), out _, out int written);
        _buffer.Advance(written);
        WriteByte((byte)'"');
        _needsComma = true;
    }

    /// <summary>
    /// Writes an already-encoded JSON value the way Go writes a json.RawMessage: compacted, with
    /// &lt;, &gt;, &amp;, U+2028 and U+2029 inside strings escaped.
    /// </summary>
    public void WriteRawValue(ReadOnlySpan<byte> json)
    {
        StartValue();
        GoJsonCompactor.Compact(json, _buffer);
        _needsComma = true;
    }

    private void StartValue()
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
        }
    }

    private void AppendQuoted(string value)
    {
        WriteByte((byte)'"');
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                AppendAscii((byte)c);
                continue;
            }

            if (!Rune.TryGetRuneAt(value, i, out Rune rune))
            {
                // A lone surrogate is what Go sees as an invalid byte.
                WriteAscii("\\ufffd");
                continue;
            }

            int n = rune.EncodeToUtf8(utf8);
            AppendNonAscii(rune, utf8[..n]);
            i += rune.Utf16SequenceLength - 1;
        }

        WriteByte((byte)'"');
    }

    private void AppendNonAscii(Rune rune, ReadOnlySpan<byte> encoded)
    {
        if (rune.Value == 0x2028 || rune.Value == 0x2029)
        {
            WriteAscii(rune.Value == 0x2028 ? "\\u2028" : "\\u2029");
            return;
        }

        encoded.CopyTo(_buffer.GetSpan(encoded.Length));
        _buffer.Advance(encoded.Length);
    }

    private void AppendAscii(byte b)
    {
        switch (b)
        {
            case (byte)'"': WriteAscii("\\\""); return;
            case (byte)'\\': WriteAscii("\\\\"); return;
            case (byte)'\n': WriteAscii("\\n"); return;
            case (byte)'\r': WriteAscii("\\r"); return;
            case (byte)'\t': WriteAscii("\\t"); return;
        }

        if (b < 0x20 || b == '<' || b == '>' || b == '&')
        {
            Span<byte> escape = _buffer.GetSpan(6);
            "\\u00"u8.CopyTo(escape);
            escape[4] = (byte)LowerHex[b >> 4];
            escape[5] = (byte)LowerHex[b & 0xF];
            _buffer.Advance(6);
            return;
        }

        WriteByte(b);
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void WriteAscii(string text)
    {
        Span<byte> span = _buffer.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        _buffer.Advance(text.Length);
    }
}
