// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Testing;

namespace Haven.Cli.Tests.Sftp;

/// <summary>
/// SSH connections cut in the middle of a backup: the backup completes or fails cleanly, the
/// next one completes, and the repository stays valid. The test cuts connections on an sshd of
/// its own, so other tests' sessions are never touched.
/// </summary>
public sealed class SftpConnectionCutTests : IDisposable
{
    private readonly SshServer _server = new();
    private readonly SftpRepository _repository;

    public SftpConnectionCutTests()
    {
        _repository = new SftpRepository(_server);
    }

    public void Dispose()
    {
        _repository.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Backup_cut_off_once_midway_completes_or_fails_cleanly_and_the_next_run_leaves_a_valid_repository()
    {
        var ct = TestContext.Current.CancellationToken;
        string source = await MakeSourceAsync(ct);
        _repository.Haven.RunChecked("init");
        using (var backup = _repository.Haven.Start("backup", source))
        {
            await WaitForLockAsync(backup, ct);
            int cut = _server.CutConnections();
            var first = await backup.WaitForExitAsync(ct);

            Assert.True(cut > 0 || first.ExitCode == 0, "nothing was cut although the backup was running");
            if (first.ExitCode != 0)
            {
                AssertFailedCleanly(first);
            }
        }

        // One cut: the backup's own later operations reconnect, so it removed its lock whatever happened.
        Assert.Equal([], LockFiles());

        AssertNextBackupCompletesAndRepositoryIsValid(source);
    }

    [Fact]
    public async Task Backup_whose_every_connection_is_cut_fails_with_one_clear_line_and_the_next_run_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        string source = await MakeSourceAsync(ct);
        _repository.Haven.RunChecked("init");
        // Retries are bounded so that the backup gives up within seconds rather than the default minutes.
        using (var backup = _repository.Haven.Start("-o", "retry.attempts=4", "-o", "retry.max-time=10s", "backup", source))
        {
            await WaitForLockAsync(backup, ct);

            // Every session is cut as soon as it shows up, reconnections included, until the backup gives up.
            var started = DateTime.UtcNow;
            await Wait.UntilAsync(() => _server.CutConnections() >= 0 && backup.HasExited, TimeSpan.FromMinutes(2), "the backup to give up", ct);
            var result = await backup.WaitForExitAsync(ct);
            AssertFailedCleanly(result);
            Assert.Contains("Retrying: ", result.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"gave up after [2-4] attempts in \d+(\.\d)? s; the last error was: ", result.Stderr);
            // The backup's operations and then its lock removal each retry for at most 10 s.
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(90), $"giving up took {DateTime.UtcNow - started}");
        }

        // Its lock could not be removed either (that connection was cut too): it is stale now, as
        // after a crash, and unlock removes it so that restic can take its exclusive check lock.
        _repository.Haven.RunChecked("unlock");
        Assert.Equal([], LockFiles());

        AssertNextBackupCompletesAndRepositoryIsValid(source);
    }

    /// <summary>The locks in the repository, by name; an upload cut midway may leave a temporary name, which every tool ignores.</summary>
    private List<string> LockFiles() =>
        Directory.EnumerateFiles(Path.Combine(_repository.Path, "locks")).Select(f => Path.GetFileName(f)).Where(n => n.Length == 64 && n.All(char.IsAsciiHexDigitLower)).ToList();

    private async Task<string> MakeSourceAsync(CancellationToken ct)
    {
        string source = _repository.NewPath("source");
        for (int i = 0; i < 12; i++)
        {
            string folder = Directory.CreateDirectory(Path.Combine(source, $"d{i}")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(folder, "random.bin"), RandomNumberGenerator.GetBytes(512 * 1024), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "note.txt"), $"file {i}\n", ct);
        }

        return source;
    }

    /// <summary>The lock is the backup's first write; cutting right after it lands mid-backup.</summary>
    private async Task WaitForLockAsync(RunningProcess backup, CancellationToken ct)
    {
        await Wait.UntilAsync(() => backup.HasExited || LockFiles().Count > 0, TimeSpan.FromSeconds(60), "the backup to take its lock", ct);
        Assert.False(backup.HasExited, $"the backup ended before it was cut: {backup.CurrentStdout}\n{backup.CurrentStderr}");
    }

    /// <summary>Exit code 1 and, after any "Retrying:" lines, one line that says what failed where.</summary>
    private static void AssertFailedCleanly(ProcessResult result)
    {
        Assert.Equal(ExitCodes.Fatal, result.ExitCode);
        string[] lines = result.Stderr.Trim().Split('\n');
        Assert.All(lines[..^1], retry => Assert.StartsWith("Retrying: ", retry, StringComparison.Ordinal));
        string line = lines[^1];
        Assert.StartsWith("Fatal: ", line, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("snapshot", result.Stdout, StringComparison.Ordinal);
    }

    private void AssertNextBackupCompletesAndRepositoryIsValid(string source)
    {
        _repository.Haven.RunChecked("backup", source);

        Assert.Contains("no errors were found", _repository.Haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        _repository.AssertResticCheckPasses();
        string target = _repository.NewPath("restore");
        _repository.Haven.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(source, target + source);
    }
}
