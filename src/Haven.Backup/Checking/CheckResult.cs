// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Checking;

/// <summary>What a check found: problems in the order found, and what it covered.</summary>
public sealed record CheckResult(IReadOnlyList<CheckProblem> Problems, int Snapshots, int Trees, int Packs, int PacksRead)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
