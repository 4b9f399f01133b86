// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests.S3;

/// <summary>The S3 gateway stops answering in the middle of a backup and comes back: haven retries, completes, and the repository stays valid.</summary>
public sealed class S3FaultTests(CephFixture ceph) : IClassFixture<CephFixture>
{
    [Fact]
    public async Task A_backup_survives_the_gateway_freezing_and_being_killed_and_the_next_run_uploads_nothing_again()
    {
        var ct = TestContext.Current.CancellationToken;
        // A gateway of this test's own, so that freezing it disturbs no other test.
        var (port, pidFile) = await ceph.Cluster.StartGatewayAsync(null, ct);
        try
        {
            using var repository = new S3Repository(ceph.Cluster, "fault", new Uri($"http://127.0.0.1:{port}"));
            string source = repository.NewPath("source");
            Directory.CreateDirectory(source);
            for (int i = 0; i < 4; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(source, $"f{i}.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_000_000), ct);
            }

            repository.Haven.RunChecked("init");
            Signal("STOP", pidFile);
            using var backup = repository.Haven.Start("-o", "s3.timeout=2", "backup", source);
            await Wait.UntilAsync(() => backup.CurrentStderr.Contains("Retrying: ", StringComparison.Ordinal) || backup.HasExited, TimeSpan.FromSeconds(60), "haven to retry against the frozen gateway", ct);
            Assert.False(backup.HasExited, backup.CurrentStderr);
            Assert.Matches(@"Retrying: \S+ .*failed \(cannot .* s3:http://127\.0\.0\.1:\d+/\S+/repo: no answer within 2 s\); trying again in [\d.]+ s", backup.CurrentStderr);

            Signal("KILL", pidFile);
            await ceph.Cluster.StartGatewayAsync(port, ct);
            var result = await backup.WaitForExitAsync(ct);

            Assert.True(result.ExitCode == 0, $"backup failed after the gateway came back:\n{result.Stderr}");
            Assert.Matches(@"snapshot [0-9a-f]{8} saved", result.Stdout);
            repository.AssertResticCheckPasses();
            var again = repository.Haven.RunChecked("--json", "backup", source);
            var summary = again.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).Last(node => (string?)node["message_type"] == "summary");
            Assert.Equal(0, (long)summary["data_added"]!);
            Assert.Equal(4, (long)summary["files_unmodified"]!);
        }
        finally
        {
            Signal("KILL", pidFile);
        }
    }

    private static void Signal(string signal, string pidFile)
    {
        if (File.Exists(pidFile))
        {
            ProcessRunner.Run("kill", ["-" + signal, File.ReadAllText(pidFile).Trim()]);
        }
    }
}
