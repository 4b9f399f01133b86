// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Sftp;
using Haven.Testing;

namespace Haven.Storage.Tests.Sftp;

/// <summary>Backend options that reach the test sshd with its client key and known_hosts file.</summary>
internal static class SftpTestOptions
{
    public static SftpOptions For(SshServer server, string directory) => new()
    {
        Location = SftpLocation.Parse(server.Url(directory)),
        User = SshServer.User,
        IdentityFiles = [server.ClientKeyPath],
        KnownHostsFile = server.KnownHostsPath,
    };
}
