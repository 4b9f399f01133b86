// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using Haven.Format.Configuration;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Interop;

public class ResticKeyInteropTests
{
    [Fact]
    public void Restics_key_file_opens_to_the_master_key_restic_prints()
    {
        using var repository = ResticRepository.Init("restic-key-password");
        string keyPath = Assert.Single(Directory.GetFiles(Path.Combine(repository.Path, "keys")));
        byte[] keyBytes = File.ReadAllBytes(keyPath);
        Assert.Equal(Path.GetFileName(keyPath), Id.Hash(keyBytes).ToString());

        KeyFile keyFile = KeyFile.Parse(keyBytes);
        Assert.Equal(("scrypt", 64), (keyFile.Kdf, keyFile.Salt.Length));
        Assert.False(keyFile.TryOpen("not the password", out _));
        Assert.True(keyFile.TryOpen(repository.Password, out MasterKey? master));

        using var printed = JsonDocument.Parse(repository.Run("cat", "masterkey"));
        using var ours = JsonDocument.Parse(master.ToJson());
        foreach (string[] path in new[] { new[] { "encrypt" }, new[] { "mac", "k" }, new[] { "mac", "r" } })
        {
            Assert.Equal(Field(printed.RootElement, path), Field(ours.RootElement, path));
        }

        RepositoryConfig config = RepositoryConfig.Parse(master.Open(File.ReadAllBytes(Path.Combine(repository.Path, "config"))));
        using var printedConfig = JsonDocument.Parse(repository.Run("cat", "config"));
        Assert.Equal(2, config.Version);
        Assert.Equal(printedConfig.RootElement.GetProperty("id").GetString(), config.Id);
        Assert.Equal(printedConfig.RootElement.GetProperty("chunker_polynomial").GetString(), config.ChunkerPolynomial.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Key_file_made_by_haven_opens_restics_repository()
    {
        using var repository = ResticRepository.Init("original-password");
        MasterKey master = repository.OpenMasterKey();
        string original = Assert.Single(Directory.GetFiles(Path.Combine(repository.Path, "keys")));

        KeyFile keyFile = KeyFile.Create("haven-password", master, new ScryptParameters(1024, 8, 1), "haven", "test-host", TimeProvider.System.GetUtcNow());
        byte[] json = keyFile.ToJson();
        File.WriteAllBytes(Path.Combine(repository.Path, "keys", Id.Hash(json).ToString()), json);

        // With restic's own key gone, only Haven's key can open the repository.
        File.Delete(original);
        string listing = repository.RunAs("haven-password", "key", "list");
        Assert.Contains("test-host", listing, StringComparison.Ordinal);
        repository.RunAs("haven-password", "snapshots");
    }

    private static string Field(JsonElement element, string[] path)
    {
        foreach (string name in path)
        {
            element = element.GetProperty(name);
        }

        return element.GetString() ?? throw new InvalidDataException($"{string.Join('.', path)} is null");
    }
}
