// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Backup.Browsing;
using Haven.Format.Trees;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven dump: writes one file of a snapshot to stdout, or a folder as a tar stream.</summary>
internal static class DumpCommand
{
    public static Command Create(GlobalOptions options)
    {
        var snapshotArgument = new Argument<string>("SNAPSHOT") { Description = "Snapshot ID (a unique prefix) or 'latest'" };
        var pathArgument = new Argument<string>("PATH") { Description = "File or folder inside the snapshot ('/' for everything)" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("dump", "Write a file of a snapshot to stdout (a folder as a tar stream)") { snapshotArgument, pathArgument };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var (_, snapshot) = await SnapshotCatalog.FindAsync(repository, result.GetValue(snapshotArgument)!, filter.Read(result), cancellationToken);
            string path = "/" + result.GetValue(pathArgument)!.Trim('/');
            var node = await new SnapshotBrowser(repository).FindAsync(snapshot.Tree, path, cancellationToken)
                ?? new Node { Name = "/", Type = NodeType.Dir, Mode = 0x800001ED, Subtree = snapshot.Tree };
            await using var stdout = Console.OpenStandardOutput();
            switch (node.Type)
            {
                case NodeType.File:
                    await using (var content = new FileContentStream(repository, node.Content ?? []))
                    {
                        await content.CopyToAsync(stdout, 1 << 20, cancellationToken);
                    }

                    break;
                case NodeType.Dir:
                    await new TarExporter(repository).WriteAsync(node, path, stdout, cancellationToken);
                    break;
                default:
                    throw new UsageException($"{path} is a {node.Type.ToString().ToLowerInvariant()}, which has no content to dump; dump its folder instead");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
