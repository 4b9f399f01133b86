// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Net.Sockets;

namespace Haven.Storage.Sftp.Agent;

/// <summary>
/// A client of an ssh-agent on its Unix socket (draft-miller-ssh-agent): it lists the agent's keys
/// and asks it to sign. One request is in flight at a time. Signing is synchronous because SSH.NET
/// signs synchronously during authentication.
/// </summary>
public sealed class SshAgentClient : IDisposable
{
    // OpenSSH's agent refuses longer messages too (AGENT_MAX_LEN).
    private const int MaxMessageLength = 256 * 1024;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly Lock _gate = new();

    private SshAgentClient(string socketPath, Socket socket)
    {
        SocketPath = socketPath;
        _socket = socket;
    }

    public string SocketPath { get; }

    /// <summary>Connects to the agent listening on <paramref name="socketPath"/>; throws <see cref="SshAgentException"/> when nothing answers there.</summary>
    public static async Task<SshAgentClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)s_timeout.TotalMilliseconds,
            SendTimeout = (int)s_timeout.TotalMilliseconds,
        };
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new SshAgentClient(socketPath, socket);
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new SshAgentException($"no ssh-agent answers at {socketPath} ({error.Message})", error);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The keys the agent holds, in its order.</summary>
    public async Task<IReadOnlyList<AgentIdentity>> RequestIdentitiesAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        byte[] answer;
        try
        {
            await _socket.SendAsync(new SshWireWriter(AgentMessageType.RequestIdentities).ToFrame(), timeout.Token).ConfigureAwait(false);
            answer = await ReceiveAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Broken("list its keys", error);
        }

        return ParseIdentities(answer);
    }

    /// <summary>Asks the agent to sign <paramref name="data"/> with the key <paramref name="publicKey"/>; returns the signature blob (algorithm name and signature).</summary>
    public byte[] Sign(byte[] publicKey, byte[] data, AgentSignatureFlags flags)
    {
        byte[] request = new SshWireWriter(AgentMessageType.SignRequest).WriteString(publicKey).WriteString(data).WriteUInt32((uint)flags).ToFrame();
        byte[] answer;
        lock (_gate)
        {
            try
            {
                _socket.Send(request);
                answer = Receive();
            }
            catch (SocketException error)
            {
                throw Broken("sign", error);
            }
        }

        return ParseSignature(answer);
    }

    public void Dispose() => _socket.Dispose();

    private IReadOnlyList<AgentIdentity> ParseIdentities(ReadOnlySpan<byte> answer)
    {
        try
        {
            var reader = new SshWireReader(answer);
            var type = (AgentMessageType)reader.ReadByte();
            if (type != AgentMessageType.IdentitiesAnswer)
            {
                throw new SshAgentException($"the ssh-agent at {SocketPath} refused to list its keys (answer {(byte)type})");
            }

            uint count = reader.ReadUInt32();
            var identities = new List<AgentIdentity>();
            for (uint i = 0; i < count; i++)
            {
                byte[] key = reader.ReadString().ToArray();
                identities.Add(new AgentIdentity(key, reader.ReadText()));
            }

            return identities;
        }
        catch (FormatException error)
        {
            throw new SshAgentException($"the ssh-agent at {SocketPath} sent a key list that is not the agent protocol: {error.Message}", error);
        }
    }

    private byte[] ParseSignature(ReadOnlySpan<byte> answer)
    {
        try
        {
            var reader = new SshWireReader(answer);
            var type = (AgentMessageType)reader.ReadByte();
            return type == AgentMessageType.SignResponse
                ? reader.ReadString().ToArray()
                : throw new SshAgentException($"the ssh-agent at {SocketPath} refused to sign (answer {(byte)type}): the key may have been removed from it, or its use was not confirmed");
        }
        catch (FormatException error)
        {
            throw new SshAgentException($"the ssh-agent at {SocketPath} sent a signature that is not the agent protocol: {error.Message}", error);
        }
    }

    private SshAgentException Broken(string what, Exception error) =>
        new($"the ssh-agent at {SocketPath} did not {what}: {error.Message}", error);

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[] header = new byte[4];
        await ReceiveExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        byte[] body = new byte[CheckedLength(header)];
        await ReceiveExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return body;
    }

    private async Task ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        for (int done = 0; done < buffer.Length;)
        {
            int n = await _socket.ReceiveAsync(buffer[done..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            done += n > 0 ? n : throw new SshAgentException($"the ssh-agent at {SocketPath} closed the connection in the middle of an answer");
        }
    }

    private byte[] Receive()
    {
        Span<byte> header = stackalloc byte[4];
        ReceiveExactly(header);
        byte[] body = new byte[CheckedLength(header)];
        ReceiveExactly(body);
        return body;
    }

    private void ReceiveExactly(Span<byte> buffer)
    {
        for (int done = 0; done < buffer.Length;)
        {
            int n = _socket.Receive(buffer[done..]);
            done += n > 0 ? n : throw new SshAgentException($"the ssh-agent at {SocketPath} closed the connection in the middle of an answer");
        }
    }

    private int CheckedLength(ReadOnlySpan<byte> header)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        return length is > 0 and <= MaxMessageLength
            ? (int)length
            : throw new SshAgentException($"the ssh-agent at {SocketPath} sent a message of {length} bytes, which is not the agent protocol");
    }
}
