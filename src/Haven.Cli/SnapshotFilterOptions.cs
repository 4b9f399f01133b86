// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Repository.Snapshots;

namespace Haven.Cli;

/// <summary>--host, --path and --tag, which narrow 'latest' and listings as in restic.</summary>
internal sealed class SnapshotFilterOptions
{
    public Option<string[]> Hosts { get; } = new("--host", "-H") { Description = "Only snapshots of this host (may be repeated)" };

    public Option<string[]> Paths { get; } = new("--path") { Description = "Only snapshots that include this path (may be repeated)" };

    public Option<string[]> Tags { get; } = new("--tag") { Description = "Only snapshots with these tags (a,b needs both; repeated means either)" };

    public void AddTo(Command command)
    {
        command.Add(Hosts);
        command.Add(Paths);
        command.Add(Tags);
    }

    public SnapshotFilter Read(ParseResult result) => new(
        result.GetValue(Hosts) ?? [],
        (result.GetValue(Paths) ?? []).Select(p => p.Length > 1 ? p.TrimEnd('/') : p).ToList(),
        result.GetValue(Tags) ?? []);
}
