// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Backup.Retention;
using Haven.Cli.Commands;
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Cli.Output;

/// <summary>What forget prints: restic's text (tables of kept and removed snapshots per group) or restic's JSON groups.</summary>
internal sealed class ForgetReport
{
    private readonly Printer _printer;
    private readonly bool _silent;

    public ForgetReport(Printer printer, bool silent)
    {
        _printer = printer;
        _silent = silent;
    }

    /// <summary>restic's JSON: one object per group with tags, host, paths, keep, remove and reasons.
    /// Objects go in through the JsonNode overload of Add: Add&lt;T&gt; is not trim/AOT safe.</summary>
    public JsonArray Json { get; } = [];

    public void NoPolicy() => Text("no policy was specified, no snapshots will be removed");

    public void Explicit(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, bool dryRun)
    {
        Json.Add((JsonNode)new JsonObject
        {
            ["tags"] = null,
            ["host"] = string.Empty,
            ["paths"] = null,
            ["keep"] = null,
            ["remove"] = Snapshots(snapshots),
            ["reasons"] = null,
        });
        Text($"{(dryRun ? "would remove" : "remove")} {snapshots.Count} snapshots:");
        Table(snapshots, null);
    }

    public void Groups(RetentionPolicy policy, IReadOnlyList<RetentionGroup> groups)
    {
        Text("Applying Policy: " + policy.Describe());
        foreach (var group in groups)
        {
            Json.Add((JsonNode)new JsonObject
            {
                ["tags"] = Strings(group.Key.Tags),
                ["host"] = group.Key.Hostname,
                ["paths"] = Strings(group.Key.Paths),
                ["keep"] = Snapshots(group.Keep),
                ["remove"] = Snapshots(group.Remove),
                ["reasons"] = group.Reasons.Count == 0 ? null : new JsonArray(group.Reasons.Select(Reason).ToArray()),
            });
            Text($"snapshots for {group.Key.Describe()}:");
            if (group.Keep.Count > 0)
            {
                Text($"keep {group.Keep.Count} snapshots:");
                Table(group.Keep, group.Reasons);
            }

            if (group.Remove.Count > 0)
            {
                Text($"remove {group.Remove.Count} snapshots:");
                Table(group.Remove, null);
            }
        }
    }

    public void Removed(IReadOnlyList<Id> ids, bool dryRun)
    {
        if (ids.Count == 0)
        {
            return;
        }

        string list = string.Join(" ", ids.Select(id => id.ToShortString()).Order(StringComparer.Ordinal));
        Text(dryRun ? $"Would have removed the following snapshots:\n{{{list}}}" : $"removed {ids.Count} snapshots: {list}");
    }

    private void Text(string line)
    {
        if (!_silent)
        {
            _printer.Line(line);
        }
    }

    /// <summary>Oldest first, as restic prints them; reasons and paths beyond the first go on lines of their own.</summary>
    private void Table(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, IReadOnlyList<KeepReason>? reasons)
    {
        if (_silent)
        {
            return;
        }

        var table = reasons is null ? new TextTable("ID", "Time", "Host", "Tags", "Paths") : new TextTable("ID", "Time", "Host", "Tags", "Reasons", "Paths");
        for (int i = snapshots.Count - 1; i >= 0; i--)
        {
            var (id, snapshot) = snapshots[i];
            var matches = reasons?[i].Matches ?? [];
            var paths = snapshot.Paths ?? [];
            int lines = Math.Max(1, Math.Max(matches.Count, paths.Count));
            for (int line = 0; line < lines; line++)
            {
                var cells = new List<string>();
                if (line == 0)
                {
                    cells.AddRange([id.ToShortString(), snapshot.Time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss"), snapshot.Hostname ?? string.Empty, string.Join(",", snapshot.Tags ?? [])]);
                }
                else
                {
                    cells.AddRange([string.Empty, string.Empty, string.Empty, string.Empty]);
                }

                if (reasons is not null)
                {
                    cells.Add(line < matches.Count ? matches[line] : string.Empty);
                }

                cells.Add(line < paths.Count ? paths[line] : string.Empty);
                table.Add([.. cells]);
            }
        }

        foreach (string line in table.Render())
        {
            _printer.Line(line);
        }

        _printer.Line($"{snapshots.Count} snapshots");
        _printer.Line(string.Empty);
    }

    private static JsonArray? Snapshots(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots) =>
        snapshots.Count == 0 ? null : new JsonArray(snapshots.Select(s => (JsonNode)SnapshotsCommand.ToJson(s.Id, s.Snapshot)).ToArray());

    private static JsonArray? Strings(IReadOnlyList<string>? values) =>
        values is null ? null : new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    /// <summary>restic's KeepReason: the snapshot (without its ID), the matching rules, and the nonzero counters.</summary>
    private static JsonNode Reason(KeepReason reason)
    {
        var counters = new JsonObject();
        void Add(string name, int value)
        {
            if (value != 0)
            {
                counters[name] = value;
            }
        }

        Add("last", reason.Counters.Last);
        Add("hourly", reason.Counters.Hourly);
        Add("daily", reason.Counters.Daily);
        Add("weekly", reason.Counters.Weekly);
        Add("monthly", reason.Counters.Monthly);
        Add("yearly", reason.Counters.Yearly);
        return new JsonObject
        {
            ["snapshot"] = JsonNode.Parse(reason.Snapshot.ToJson()),
            ["matches"] = new JsonArray(reason.Matches.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["counters"] = counters,
        };
    }
}
