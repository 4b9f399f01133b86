// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>Keys added, changed or removed by one tool are the keys the other tool opens the repository with.</summary>
public sealed class CrossToolKeyTests : IDisposable
{
    private const string NewPassword = "a new password";

    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Key_added_by_haven_opens_the_repository_in_restic()
    {
        _repository.Haven.RunChecked("init");

        var add = HavenWithNewPassword().RunChecked("key", "add");

        string added = Assert.Single(KeyIds().Except([CurrentHavenKey(InteropRepository.Password)]));
        Assert.Equal($"saved new key {added[..8]}\n", add.Stdout);
        Assert.Equal(0, ResticWith(NewPassword).Run("snapshots").ExitCode);
        Assert.Equal(added, CurrentHavenKey(NewPassword));
        _repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Key_added_by_restic_opens_the_repository_in_haven()
    {
        _repository.Restic.RunChecked("init");
        string first = Assert.Single(KeyIds());
        string passwordFile = _repository.NewPath("new-password");
        File.WriteAllText(passwordFile, NewPassword + "\n");

        _repository.Restic.RunChecked("key", "add", "--new-password-file", passwordFile);

        string added = Assert.Single(KeyIds().Except([first]));
        Assert.Equal(added, CurrentHavenKey(NewPassword));
        Assert.Equal(0, HavenWithPassword(NewPassword).Run("snapshots").ExitCode);
    }

    [Fact]
    public void Password_changed_by_haven_opens_restic_with_the_new_password_and_not_the_old()
    {
        _repository.Restic.RunChecked("init");

        _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_NEW_PASSWORD"] = NewPassword }).RunChecked("key", "passwd");

        Assert.Equal(0, ResticWith(NewPassword).Run("snapshots").ExitCode);
        var old = _repository.Restic.Run("snapshots");
        Assert.Equal(1, old.ExitCode);
        Assert.Contains("wrong password or no key found", old.Stderr, StringComparison.Ordinal);
        Assert.Single(KeyIds(NewPassword));
        Assert.Equal(12, _repository.Haven.Run("snapshots").ExitCode);
        ResticWith(NewPassword).RunChecked("check");
    }

    [Fact]
    public void Key_removed_by_haven_no_longer_opens_restic()
    {
        _repository.Restic.RunChecked("init");
        string first = Assert.Single(KeyIds());
        string passwordFile = _repository.NewPath("new-password");
        File.WriteAllText(passwordFile, NewPassword);
        _repository.Restic.RunChecked("key", "add", "--new-password-file", passwordFile);
        string added = Assert.Single(KeyIds().Except([first]));

        var remove = _repository.Haven.RunChecked("key", "remove", added[..8]);

        Assert.Equal($"removed key {added[..8]}\n", remove.Stdout);
        Assert.Equal([first], KeyIds());
        var removed = ResticWith(NewPassword).Run("snapshots");
        Assert.Equal(1, removed.ExitCode);
        Assert.Contains("wrong password or no key found", removed.Stderr, StringComparison.Ordinal);
        _repository.AssertResticCheckPasses();
    }

    private HavenCli HavenWithNewPassword() =>
        _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_NEW_PASSWORD"] = NewPassword });

    private HavenCli HavenWithPassword(string password) =>
        _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_PASSWORD"] = password });

    private Restic ResticWith(string password) => new(_repository.Path, password);

    /// <summary>The IDs of the key files, as restic lists them.</summary>
    private string[] KeyIds(string password = InteropRepository.Password) =>
        [.. ResticWith(password).RunChecked("list", "keys").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>The ID of the key haven opens the repository with when given <paramref name="password"/>.</summary>
    private string CurrentHavenKey(string password)
    {
        var keys = JsonNode.Parse(HavenWithPassword(password).RunChecked("key", "list", "--json").Stdout)!.AsArray();
        return (string)keys.Single(key => (bool)key!["current"]!)!["id"]!;
    }
}
