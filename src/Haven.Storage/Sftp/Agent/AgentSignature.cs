// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Renci.SshNet.Security.Cryptography;

namespace Haven.Storage.Sftp.Agent;

/// <summary>
/// A signature SSH.NET asks for during public key authentication, made by the ssh-agent: the
/// private key never leaves the agent. SSH.NET wraps what Sign returns with the algorithm name, so
/// this unwraps the agent's signature blob after checking it is the algorithm asked for.
/// </summary>
internal sealed class AgentSignature(SshAgentClient agent, AgentIdentity identity, string algorithm, AgentSignatureFlags flags) : DigitalSignature
{
    public override byte[] Sign(byte[] input)
    {
        byte[] blob = agent.Sign(identity.PublicKey, input, flags);
        string signedWith;
        byte[] signature;
        try
        {
            var reader = new SshWireReader(blob);
            signedWith = reader.ReadText();
            signature = reader.ReadString().ToArray();
        }
        catch (FormatException error)
        {
            throw new SshAgentException($"the ssh-agent at {agent.SocketPath} sent a signature blob that is not SSH wire format: {error.Message}", error);
        }

        return signedWith == algorithm
            ? signature
            : throw new SshAgentException($"the ssh-agent at {agent.SocketPath} signed with {signedWith} when {algorithm} was asked for (key {identity.Comment})");
    }

    /// <summary>A client never checks its own signatures; the server does.</summary>
    public override bool Verify(byte[] input, byte[] signature) =>
        throw new NotSupportedException("an ssh-agent key only signs");
}
