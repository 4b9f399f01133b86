// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Haven.Format;
using Haven.Storage.Sftp;
using Haven.Testing;

namespace Haven.Storage.Tests.Sftp;

/// <summary>
/// A dropped SSH connection fails at most the operations in flight; the next one reconnects. Each
/// test cuts connections on a server of its own, so other tests' sessions are never touched.
/// </summary>
public sealed class SftpReconnectTests : IDisposable
{
    private readonly SshServer _server = new();
    private readonly TempDirectory _temp = new("sftp-reconnect");

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private int Logins => Regex.Count(_server.Log, "Accepted publickey for root");

    [Fact]
    public async Task After_the_connection_is_cut_an_operation_fails_transiently_at_most_once_then_reconnects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var backend = new SftpBackend(SftpTestOptions.For(_server, _temp.Combine("repo")));
        await backend.CreateAsync(ct);
        byte[] content = RandomNumberGenerator.GetBytes(50_000);
        var handle = FileHandle.For(FileType.Pack, Id.Hash(content));
        await backend.SaveAsync(handle, content, ct);
        Assert.Equal(1, Logins);

        Assert.True(_server.CutConnections() > 0, "no sshd session process was found to kill");

        byte[]? read = null;
        for (int attempt = 1; read is null; attempt++)
        {
            try
            {
                read = await backend.LoadAsync(handle, 0, 0, ct);
            }
            catch (StorageException error) when (attempt == 1)
            {
                Assert.False(backend.IsPermanentError(error), error.ToString());
                Assert.Contains("the next attempt reconnects", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(content, read);
        Assert.Equal(2, Logins);
    }

    [Fact]
    public async Task A_cut_during_concurrent_uploads_leaves_only_whole_files_and_the_retry_lands_them()
    {
        var ct = TestContext.Current.CancellationToken;
        string root = _temp.Combine("repo");
        await using var backend = new SftpBackend(SftpTestOptions.For(_server, root));
        await backend.CreateAsync(ct);
        var files = Enumerable.Range(0, 24).Select(_ => RandomNumberGenerator.GetBytes(256 * 1024)).ToList();

        var uploads = files.Select(f => backend.SaveAsync(FileHandle.For(FileType.Pack, Id.Hash(f)), f, ct)).ToList();
        await Wait.UntilAsync(() => Directory.Exists(Path.Combine(root, "data")) && Directory.EnumerateFiles(Path.Combine(root, "data"), "*", SearchOption.AllDirectories).Any(), TimeSpan.FromSeconds(30), "the first upload to start", ct);
        _server.CutConnections();
        foreach (var upload in uploads)
        {
            try
            {
                await upload;
            }
            catch (StorageException error)
            {
                Assert.False(backend.IsPermanentError(error), error.ToString());
            }
        }

        // Whatever landed under a final name is whole; saving everything again (as a retry would) completes the set.
        foreach (var f in files)
        {
            await backend.SaveAsync(FileHandle.For(FileType.Pack, Id.Hash(f)), f, ct);
        }

        var listed = new List<StoredFile>();
        await foreach (var file in backend.ListAsync(FileType.Pack, ct))
        {
            listed.Add(file);
        }

        Assert.Equal(files.Select(f => Id.Hash(f).ToString()).Order(), listed.Select(f => f.Name).Order());
        foreach (var f in files)
        {
            Assert.Equal(f, await backend.LoadAsync(FileHandle.For(FileType.Pack, Id.Hash(f)), 0, 0, ct));
        }
    }
}
