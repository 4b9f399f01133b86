// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Text;

namespace Haven.Storage.Sftp.Agent;

/// <summary>Reads the SSH wire encoding (RFC 4251 section 5): big-endian uint32 and length-prefixed strings.</summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public byte ReadByte()
    {
        Need(1);
        byte value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public ReadOnlySpan<byte> ReadString()
    {
        uint length = ReadUInt32();
        Need(length);
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }

    public string ReadText() => Encoding.UTF8.GetString(ReadString());

    private readonly void Need(uint count)
    {
        if (count > (uint)_rest.Length)
        {
            throw new FormatException($"the message ends {count - _rest.Length} bytes early");
        }
    }
}
