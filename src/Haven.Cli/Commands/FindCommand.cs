// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text.Json.Nodes;
using Haven.Backup.Browsing;
using Haven.Backup.Filtering;
using Haven.Cli.Output;
using Haven.Format.Trees;

namespace Haven.Cli.Commands;

/// <summary>haven find: which snapshots hold entries matching a pattern, as restic find prints them.</summary>
internal static class FindCommand
{
    public static Command Create(GlobalOptions options)
    {
        var patternsArgument = new Argument<string[]>("PATTERN") { Description = "Name pattern (or path pattern when it holds '/'): *, ?, [a-z], ** as in excludes", Arity = ArgumentArity.OneOrMore };
        var snapshotsOption = new Option<string[]>("--snapshot", "-s") { Description = "Search only this snapshot (ID prefix or 'latest'; may be repeated)" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "Show mode, owner, size and time" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("find", "Find files and folders in snapshots") { patternsArgument, snapshotsOption, longFormat };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            PathFilter patterns;
            try
            {
                patterns = new PathFilter(result.GetValue(patternsArgument)!.Select(p => new GlobPattern(p)));
            }
            catch (ArgumentException error)
            {
                throw new UsageException($"bad pattern: {error.Message}");
            }

            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var snapshots = await SnapshotSelection.SelectAsync(repository, result.GetValue(snapshotsOption) ?? [], filter.Read(result), cancellationToken);
            var finder = new SnapshotFinder(repository, patterns);
            var all = new JsonArray();
            bool longForm = result.GetValue(longFormat);
            bool first = true;
            foreach (var (id, snapshot) in snapshots)
            {
                var matches = new JsonArray();
                int hits = 0;
                await foreach (var (path, node) in finder.FindAsync(snapshot.Tree, cancellationToken))
                {
                    if (context.Json)
                    {
                        matches.Add((JsonNode)ToJson(path, node)); // the JsonNode overload: Add<T> is not trim/AOT safe
                        continue;
                    }

                    if (hits++ == 0)
                    {
                        if (!first)
                        {
                            context.Printer.Line(string.Empty);
                        }

                        first = false;
                        context.Printer.Line($"Found matching entries in snapshot {id.ToShortString()} from {snapshot.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}");
                    }

                    context.Printer.RawLine(longForm ? LongLine(path, node) : path);
                }

                if (context.Json && matches.Count > 0)
                {
                    all.Add((JsonNode)new JsonObject { ["matches"] = matches, ["hits"] = matches.Count, ["snapshot"] = id.ToString() });
                }
            }

            if (context.Json)
            {
                context.Printer.JsonLine<JsonNode>(all, CliJson.Output.JsonNode);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string LongLine(string path, Node node)
    {
        string target = node.Type == NodeType.Symlink ? " -> " + node.LinkTarget : string.Empty;
        return $"{ModeString.Format(node.Mode)} {node.Uid,5} {node.Gid,5} {node.Size,6} {node.ModTime.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} {path}{target}";
    }

    /// <summary>restic's find JSON: the node without name, inode, xattrs, device, content and subtree; Go's omitempty applies.</summary>
    private static JsonObject ToJson(string path, Node node)
    {
        var json = new JsonObject
        {
            ["path"] = path,
            ["permissions"] = ModeString.Format(node.Mode),
            ["type"] = node.Type.ToString().ToLowerInvariant(),
        };
        AddUnlessEmpty(json, "linktarget", node.LinkTarget);
        AddUnlessEmpty(json, "mode", node.Mode);
        json["mtime"] = node.ModTime.ToString();
        json["atime"] = node.AccessTime.ToString();
        json["ctime"] = node.ChangeTime.ToString();
        json["uid"] = node.Uid;
        json["gid"] = node.Gid;
        AddUnlessEmpty(json, "user", node.User);
        AddUnlessEmpty(json, "group", node.Group);
        AddUnlessEmpty(json, "device_id", node.DeviceId);
        AddUnlessEmpty(json, "size", node.Size);
        AddUnlessEmpty(json, "links", node.Links);
        return json;
    }

    private static void AddUnlessEmpty(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }

    private static void AddUnlessEmpty(JsonObject json, string name, ulong value)
    {
        if (value != 0)
        {
            json[name] = value;
        }
    }
}
