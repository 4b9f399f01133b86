// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

// One sshd serves every SFTP test of this assembly; each test uses its own directory.
[assembly: AssemblyFixture(typeof(SshServer))]
