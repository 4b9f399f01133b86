// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;

namespace Haven.Cli.Tests;

/// <summary>A new key costs an attacker as much per guess as restic's: its scrypt p is calibrated to a target time.</summary>
public sealed class KeyDerivationCostTests : IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Init_calibrates_the_key_cost_to_the_target_time_and_restic_opens_the_key()
    {
        // 3 s at p=1 costs well under 1 s even on a loaded machine, so p must come out above 2.
        var haven = _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_KEY_DERIVATION_MS"] = "3000" });

        haven.RunChecked("init");

        var key = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_repository.Path, "keys")))))!;
        Assert.Equal((32768, 8), ((int)key["N"]!, (int)key["r"]!));
        Assert.True((int)key["p"]! > 2, $"p = {key["p"]} for a 3 s target");
        Assert.Equal(0, _repository.Restic.Run("cat", "config").ExitCode);
    }

    [Fact]
    public void A_zero_target_for_throwaway_repositories_gives_the_cheapest_key()
    {
        _repository.Haven.RunChecked("init");

        var key = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_repository.Path, "keys")))))!;
        Assert.Equal(1, (int)key["p"]!);
    }
}
