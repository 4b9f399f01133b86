// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text.Json.Nodes;
using Haven.Cli.Output;
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven snapshots: lists snapshots, oldest first.</summary>
internal static class SnapshotsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var filter = new SnapshotFilterOptions();
        var command = new Command("snapshots", "List snapshots");
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var snapshotFilter = filter.Read(context.ParseResult);
            var snapshots = (await SnapshotCatalog.LoadAllAsync(repository, cancellationToken)).Where(s => snapshotFilter.Matches(s.Snapshot)).ToList();
            if (context.Json)
            {
                var array = new JsonArray();
                foreach (var (id, snapshot) in snapshots)
                {
                    array.Add((JsonNode)ToJson(id, snapshot)); // the JsonNode overload: Add<T> is not trim/AOT safe
                }

                context.Printer.JsonLine<JsonNode>(array, CliJson.Output.JsonNode);
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "Time", "Host", "Tags", "Paths");
            foreach (var (id, snapshot) in snapshots)
            {
                var paths = snapshot.Paths ?? [];
                table.Add(id.ToShortString(), snapshot.Time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss"), snapshot.Hostname ?? string.Empty, string.Join(",", snapshot.Tags ?? []), paths.Count > 0 ? paths[0] : string.Empty);
                foreach (string more in paths.Skip(1))
                {
                    table.Add(string.Empty, string.Empty, string.Empty, string.Empty, more);
                }
            }

            foreach (string line in table.Render())
            {
                context.Printer.Line(line);
            }

            context.Printer.Line($"{snapshots.Count} snapshots");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The snapshot's own JSON plus "id" and "short_id", as restic prints it.</summary>
    public static JsonObject ToJson(Id id, Snapshot snapshot)
    {
        var node = JsonNode.Parse(snapshot.ToJson())!.AsObject();
        node["id"] = id.ToString();
        node["short_id"] = id.ToShortString();
        return node;
    }
}
