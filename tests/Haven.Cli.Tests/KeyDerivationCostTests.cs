// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;

namespace Haven.Cli.Tests;

/// <summary>A new key costs an attacker as much per guess as restic's: its scrypt p is calibrated to a target time (restic opening Haven's keys: CrossToolKeyTests).</summary>
public sealed class KeyDerivationCostTests : IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Init_calibrates_the_key_cost_to_the_target_time()
    {
        // One derivation at p=1 costs about 0.05 s of CPU, under 3 s even cold and unoptimised, so a
        // 6 s target must give p of at least 2; CPU time is counted, so a loaded machine cannot lower it.
        var haven = _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_KEY_DERIVATION_MS"] = "6000" });

        haven.RunChecked("init");

        var key = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_repository.Path, "keys")))))!;
        Assert.Equal((32768, 8), ((int)key["N"]!, (int)key["r"]!));
        Assert.True((int)key["p"]! >= 2, $"p = {key["p"]} for a 6 s target");
    }

    [Fact]
    public void A_zero_target_for_throwaway_repositories_gives_the_cheapest_key()
    {
        _repository.Haven.RunChecked("init");

        var key = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_repository.Path, "keys")))))!;
        Assert.Equal(1, (int)key["p"]!);
    }
}
