// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Haven.Backup.Browsing;
using Haven.Cli.Output;
using Haven.Format.Trees;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven ls: lists the entries of a snapshot, or of folders inside it.</summary>
internal static class LsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var snapshotArgument = new Argument<string>("SNAPSHOT") { Description = "Snapshot ID (a unique prefix) or 'latest'" };
        var pathsArgument = new Argument<string[]>("PATH") { Description = "Only list below these folders of the snapshot", Arity = ArgumentArity.ZeroOrMore };
        var longFormat = new Option<bool>("--long", "-l") { Description = "Show mode, owner, size and time" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("ls", "List the files in a snapshot") { snapshotArgument, pathsArgument, longFormat };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var (id, snapshot) = await SnapshotCatalog.FindAsync(repository, result.GetValue(snapshotArgument)!, filter.Read(result), cancellationToken);
            var browser = new SnapshotBrowser(repository);
            var roots = (result.GetValue(pathsArgument) ?? []).Select(p => "/" + p.Trim('/')).ToList();
            if (roots.Count == 0)
            {
                roots.Add("/");
            }

            if (context.Json)
            {
                var head = SnapshotsCommand.ToJson(id, snapshot);
                head["struct_type"] = "snapshot";
                context.Printer.JsonLine<JsonNode>(head, CliJson.Output.JsonNode);
            }
            else
            {
                context.Printer.Note($"snapshot {id.ToShortString()} of [{string.Join(" ", snapshot.Paths ?? [])}] at {snapshot.Time}:");
            }

            bool longForm = result.GetValue(longFormat);
            foreach (string root in roots)
            {
                var start = await browser.FindAsync(snapshot.Tree, root, cancellationToken);
                if (start is not null)
                {
                    Print(context, root, start, longForm);
                    if (start is not { Type: NodeType.Dir, Subtree: { } })
                    {
                        continue;
                    }
                }

                var tree = start?.Subtree ?? snapshot.Tree;
                await foreach (var (path, node) in browser.WalkAsync(tree, root, cancellationToken))
                {
                    Print(context, path, node, longForm);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, string path, Node node, bool longForm)
    {
        if (context.Json)
        {
            var json = new JsonObject
            {
                ["name"] = node.Name,
                ["type"] = node.Type.ToString().ToLowerInvariant(),
                ["path"] = path,
                ["uid"] = node.Uid,
                ["gid"] = node.Gid,
                ["size"] = node.Type == NodeType.File ? node.Size : null,
                ["mode"] = node.Mode,
                ["permissions"] = ModeString.Format(node.Mode),
                ["mtime"] = node.ModTime.ToString(),
                ["atime"] = node.AccessTime.ToString(),
                ["ctime"] = node.ChangeTime.ToString(),
                ["struct_type"] = "node",
            };
            context.Printer.JsonLine<JsonNode>(json, CliJson.Output.JsonNode);
            return;
        }

        if (!longForm)
        {
            context.Printer.RawLine(path);
            return;
        }

        string owner = node.User ?? node.Uid.ToString(CultureInfo.InvariantCulture);
        string group = node.Group ?? node.Gid.ToString(CultureInfo.InvariantCulture);
        string target = node.Type == NodeType.Symlink ? " -> " + node.LinkTarget : string.Empty;
        context.Printer.RawLine($"{ModeString.Format(node.Mode)} {owner,8} {group,8} {node.Size,12} {node.ModTime.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} {path}{target}");
    }
}
