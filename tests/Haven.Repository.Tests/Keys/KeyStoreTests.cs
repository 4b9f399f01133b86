// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Repository.Errors;
using Haven.Repository.Keys;
using Haven.Testing;

namespace Haven.Repository.Tests.Keys;

/// <summary>KeyStore: several passwords for one master key; the key in use cannot be removed.</summary>
public sealed class KeyStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new("keys");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_added_key_opens_the_same_master_key_and_both_are_listed()
    {
        await using var repository = await TestRepository.InitAsync(_temp);

        var added = await KeyStore.SaveNewKeyAsync(repository.Backend, repository.Key, "second password", repository.Options, Token);

        var keys = await KeyStore.ListAsync(repository.Backend, Token);
        Assert.Equal(new[] { repository.KeyId, added }.Order(), keys.Select(k => k.Id).Order());
        Assert.All(keys, k => Assert.Equal(("tester", Environment.MachineName, (string?)null), (k.Username, k.Hostname, k.Error)));
        await using var second = await TestRepository.OpenAsync(_temp, password: "second password");
        Assert.Equal(added, second.KeyId);
        Assert.Equal(repository.Key.ToJson(), second.Key.ToJson());
        new Restic(TestRepository.PathIn(_temp), "second password").RunChecked("cat", "config");
    }

    [Fact]
    public async Task A_removed_key_no_longer_opens_the_repository()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var added = await KeyStore.SaveNewKeyAsync(repository.Backend, repository.Key, "second password", repository.Options, Token);

        await KeyStore.RemoveAsync(repository, added, Token);

        Assert.Equal([repository.KeyId], (await KeyStore.ListAsync(repository.Backend, Token)).Select(k => k.Id));
        await Assert.ThrowsAsync<WrongPasswordException>(() => TestRepository.OpenAsync(_temp, password: "second password"));
    }

    [Fact]
    public async Task The_key_in_use_cannot_be_removed()
    {
        await using var repository = await TestRepository.InitAsync(_temp);

        var error = await Assert.ThrowsAsync<RepositoryException>(() => KeyStore.RemoveAsync(repository, repository.KeyId, Token));

        Assert.Contains(repository.KeyId.ToShortString(), error.Message, StringComparison.Ordinal);
        Assert.Single(await KeyStore.ListAsync(repository.Backend, Token));
    }

    [Fact]
    public async Task Removing_a_key_that_does_not_exist_names_it()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var missing = Id.Hash([1, 2, 3]);

        var error = await Assert.ThrowsAsync<RepositoryException>(() => KeyStore.RemoveAsync(repository, missing, Token));

        Assert.Contains($"there is no key {missing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_replaces_the_key_and_the_old_password_stops_working()
    {
        await using var repository = await TestRepository.InitAsync(_temp);

        var changed = await KeyStore.ChangePasswordAsync(repository, "new password", Token);

        Assert.Equal([changed], (await KeyStore.ListAsync(repository.Backend, Token)).Select(k => k.Id));
        await Assert.ThrowsAsync<WrongPasswordException>(() => TestRepository.OpenAsync(_temp));
        await using var reopened = await TestRepository.OpenAsync(_temp, password: "new password");
        Assert.Equal(repository.Key.ToJson(), reopened.Key.ToJson());
        new Restic(TestRepository.PathIn(_temp), "new password").RunChecked("cat", "config");
    }
}
