// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;

namespace Haven.Storage.Sftp.Agent;

/// <summary>Builds one ssh-agent message: the uint32 length, the type byte and the body, in SSH wire encoding.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWireWriter(AgentMessageType type)
    {
        _buffer.Write([0, 0, 0, 0, (byte)type]);
    }

    public SshWireWriter WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter WriteString(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>The whole message, its length prefix filled in.</summary>
    public byte[] ToFrame()
    {
        byte[] frame = _buffer.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(frame.Length - 4));
        return frame;
    }
}
