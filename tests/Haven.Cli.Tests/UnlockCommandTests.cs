// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>haven unlock removes stale locks only; --remove-all removes every lock.</summary>
public sealed class UnlockCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("unlock");
    private readonly string _repository;
    private readonly HavenCli _haven;

    public UnlockCommandTests()
    {
        _repository = _temp.Combine("repo");
        _haven = new HavenCli(_repository, "pw", _temp.CreateSubdirectory("home"));
        _haven.RunChecked("init");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unlock_removes_only_stale_locks_and_remove_all_removes_the_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.Now;
        var deadHere = await LockFiles.WriteAsync(_repository, "pw", LockFiles.ThisHost, LockFiles.DeadPid(), now, exclusive: true, ct);
        var old = await LockFiles.WriteAsync(_repository, "pw", "elsewhere", 1, now.AddHours(-1), exclusive: false, ct);
        var liveHere = await LockFiles.WriteAsync(_repository, "pw", LockFiles.ThisHost, Environment.ProcessId, now, exclusive: false, ct);
        var freshElsewhere = await LockFiles.WriteAsync(_repository, "pw", "elsewhere", 1, now, exclusive: true, ct);

        var result = _haven.RunChecked("unlock");

        Assert.Equal("removed 2 locks\n", result.Stdout);
        Assert.Equal(new[] { liveHere.ToString(), freshElsewhere.ToString() }.Order(StringComparer.Ordinal), Locks().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(deadHere.ToString(), Locks());
        Assert.DoesNotContain(old.ToString(), Locks());

        result = _haven.RunChecked("unlock", "--remove-all");

        Assert.Equal("removed 2 locks\n", result.Stdout);
        Assert.Empty(Locks());
        new Restic(_repository, "pw").RunChecked("check");
    }

    private string[] Locks() => Directory.GetFiles(Path.Combine(_repository, "locks")).Select(Path.GetFileName).ToArray()!;
}
