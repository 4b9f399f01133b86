// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage.Sftp;
using Haven.Storage.Tests.Conformance;
using Haven.Testing;

namespace Haven.Storage.Tests.Sftp;

/// <summary>The conformance suite against a real OpenSSH sshd, plus what is particular to SFTP.</summary>
public sealed class SftpBackendTests : BackendConformanceTests, IDisposable
{
    private readonly SshServer _server;
    private readonly TempDirectory _temp = new("sftp");

    public SftpBackendTests(SshServer server)
    {
        _server = server;
        Root = _temp.Combine("repo");
    }

    private string Root { get; }

    protected override Task<IBackend> CreateBackendAsync() => Task.FromResult<IBackend>(new SftpBackend(SftpTestOptions.For(_server, Root)));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_makes_the_type_folders_and_leaves_data_subfolders_for_later()
    {
        foreach (string folder in new[] { "keys", "locks", "snapshots", "index", "data" })
        {
            Assert.True(Directory.Exists(Path.Combine(Root, folder)), folder);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "data")));
    }

    [Fact]
    public async Task Packs_go_below_a_folder_named_by_their_first_two_hex_digits_made_on_demand()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = [9, 9, 9];
        var id = Id.Hash(content);
        await Backend.SaveAsync(FileHandle.For(FileType.Pack, id), content, ct);

        string folder = Path.Combine(Root, "data", id.ToString()[..2]);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(folder, id.ToString()), ct));
        Assert.Equal([id.ToString()], Directory.EnumerateFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Saving_leaves_no_temporary_file_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = [1, 2, 3, 4];
        var id = Id.Hash(content);
        await Backend.SaveAsync(FileHandle.For(FileType.Snapshot, id), content, ct);
        await Backend.SaveAsync(FileHandle.For(FileType.Snapshot, id), content, ct);

        Assert.Equal([id.ToString()], Directory.EnumerateFiles(Path.Combine(Root, "snapshots")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Saving_a_name_that_exists_with_other_content_is_a_permanent_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var handle = FileHandle.For(FileType.Index, Id.Hash([5]));
        await Backend.SaveAsync(handle, new byte[] { 5 }, ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => Backend.SaveAsync(handle, new byte[] { 5, 6 }, ct));
        Assert.True(Backend.IsPermanentError(error));
        Assert.Equal([5], await Backend.LoadAsync(handle, 0, 0, ct));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_not_listed()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Id.Hash([1]);
        await File.WriteAllBytesAsync(Path.Combine(Root, "snapshots", id + "-tmp-123"), [1], ct);
        Directory.CreateDirectory(Path.Combine(Root, "data", "ab"));
        await File.WriteAllBytesAsync(Path.Combine(Root, "data", "ab", "ab" + new string('0', 62) + "-tmp-1"), [1], ct);

        await foreach (var file in Backend.ListAsync(FileType.Snapshot, ct))
        {
            Assert.Fail($"listed {file.Name}");
        }

        await foreach (var file in Backend.ListAsync(FileType.Pack, ct))
        {
            Assert.Fail($"listed {file.Name}");
        }
    }

    [Fact]
    public async Task Creating_where_a_repository_exists_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await Backend.SaveAsync(FileHandle.Config, new byte[] { 1 }, ct);

        await using var second = new SftpBackend(SftpTestOptions.For(_server, Root));
        var error = await Assert.ThrowsAsync<StorageException>(() => second.CreateAsync(ct));
        Assert.True(error.IsPermanent);
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_path_is_relative_to_the_login_directory()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = "relative-" + Guid.NewGuid().ToString("N");
        var options = SftpTestOptions.For(_server, Root) with { Location = SftpLocation.Parse($"sftp://root@127.0.0.1:{_server.Port}/{name}/repo") };
        string expected = Path.Combine(_server.LoginDirectory, name, "repo");
        try
        {
            await using var backend = new SftpBackend(options);
            await backend.CreateAsync(ct);
            await backend.SaveAsync(FileHandle.Config, new byte[] { 7 }, ct);

            Assert.Equal([7], await File.ReadAllBytesAsync(Path.Combine(expected, "config"), ct));
        }
        finally
        {
            ProcessRunner.RunChecked("rm", ["-rf", "--", Path.Combine(_server.LoginDirectory, name)]);
        }
    }

    [Fact]
    public void Location_names_the_server_and_path_without_secrets()
    {
        Assert.Equal($"sftp://root@127.0.0.1:{_server.Port}/{Root}", Backend.Location);
    }
}
