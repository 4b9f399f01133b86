// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>`haven serve` killed (SIGKILL) in the middle of uploads and started again.</summary>
public sealed class ServeCrashTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private readonly TempDirectory _temp = new("serve-crash");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Server_killed_mid_upload_leaves_a_valid_repository_and_the_next_backup_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        string root = _temp.Combine("served");
        using var serve = new ServeProcess(_temp, root);
        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"));
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllBytes(Path.Combine(source, "one.bin"), RandomNumberGenerator.GetBytes(500_000));
        haven.RunChecked("init");
        haven.RunChecked("backup", source);

        // An upload whose body is only partly sent when the server dies.
        byte[] pack = RandomNumberGenerator.GetBytes(1_000_000);
        string name = Convert.ToHexStringLower(SHA256.HashData(pack));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", serve.Address.Port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /data/{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {pack.Length}\r\n\r\n"), ct);
        await stream.WriteAsync(pack.AsMemory(0, pack.Length / 2), ct);
        await stream.FlushAsync(ct);
        // And a haven backup with part of its input read, which must upload once its input ends.
        // Retries are bounded so that it gives up within seconds while the server is down.
        using var backup = haven.StartWithOpenStdin("-o", "retry.max-time=5s", "backup", "--stdin", "--stdin-filename", "stream.bin");
        await backup.WriteStdinAsync(RandomNumberGenerator.GetBytes(200_000), ct);

        serve.Kill();
        await backup.CloseStdinAsync(ct);
        var failed = await backup.WaitForExitAsync(ct);
        Assert.Equal(ExitCodes.Fatal, failed.ExitCode);
        string[] lines = failed.Stderr.Trim().Split('\n');
        Assert.Contains(lines, line => line.StartsWith("Retrying: ", StringComparison.Ordinal) && line.Contains("trying again in", StringComparison.Ordinal));
        Assert.StartsWith("Fatal: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains(serve.Url(), lines[^1], StringComparison.Ordinal);
        Assert.Matches(@"gave up after \d+ attempts in [0-9.]+ s; the last error was: ", lines[^1]);

        serve.Restart();
        Assert.False(File.Exists(Path.Combine(root, "data", name[..2], name)));
        File.WriteAllBytes(Path.Combine(source, "two.bin"), RandomNumberGenerator.GetBytes(500_000));
        haven.RunChecked("backup", source);
        Assert.Contains("no errors were found", haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        string target = _temp.Combine("restore");
        haven.RunChecked("restore", "latest", "--target", target);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "two.bin")), File.ReadAllBytes(target + source + "/two.bin"));
        // The failed backup could not remove its lock while the server was down; it is stale now
        // (its process is gone), haven's backup and check ignore it, restic's exclusive lock does not.
        Assert.Contains("removed 1 locks", haven.RunChecked("unlock").Stdout, StringComparison.Ordinal);
        ServeInteropTests.AssertCheckPasses(new Restic(serve.Url(), Password));
    }
}
