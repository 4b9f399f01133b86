// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text.RegularExpressions;
using Haven.Apps.Hooks;
using Haven.Backup.Archiving;
using Haven.Cli.Output;

namespace Haven.Cli;

/// <summary>backup --pre-hook, --post-hook and --hook-timeout: what they mean on the command line and how they are printed.</summary>
internal sealed partial class BackupHookOptions
{
    private readonly Option<string?> _pre = new("--pre-hook") { Description = "Shell command to run first (/bin/sh -c); if it fails, nothing is backed up" };
    private readonly Option<string?> _post = new("--post-hook") { Description = "Shell command to run last, whatever happened; it gets HAVEN_BACKUP_STATUS, HAVEN_SNAPSHOT_ID and HAVEN_BACKUP_ERROR" };
    private readonly Option<string> _timeout = new("--hook-timeout") { Description = "Longest time a hook may run before it is killed (e.g. 90s, 5m, 1h)", DefaultValueFactory = _ => "5m" };

    public void AddTo(Command command)
    {
        command.Add(_pre);
        command.Add(_post);
        command.Add(_timeout);
    }

    /// <summary>Runs the pre-hook; the returned scope runs the post-hook (see <see cref="FinishAsync"/>) and delays process exit until it has.</summary>
    public async Task<HookScope> StartAsync(CliContext context, CancellationToken cancellationToken)
    {
        var result = context.ParseResult;
        var timeout = DurationText.Parse("--hook-timeout", result.GetValue(_timeout)!);
        var pre = result.GetValue(_pre) is { Length: > 0 } preText ? new HookCommand("pre-hook", preText, timeout) : null;
        var post = result.GetValue(_post) is { Length: > 0 } postText ? new HookCommand("post-hook", postText, timeout) : null;
        // Only a backup with a hook has cleanup to wait for; holding every backup would keep one that
        // is stuck in a read that ignores cancellation (standard input) from ever exiting on Ctrl-C.
        // A post-hook has its own timeout; at exit it is what the hold waits for.
        var hold = pre is null && post is null ? ShutdownDelay.None : ShutdownDelay.Hold(timeout);
        try
        {
            var runner = new HookRunner(TimeProvider.System, line => Print(context, line));
            var scope = await BackupHookScope.StartAsync(pre, post, WithoutCredentials(context.Locator.Location), runner, context.Printer.Warning, cancellationToken);
            var hooks = new HookScope(scope, hold, context);
            if (hold != ShutdownDelay.None)
            {
                hold.CleanUp = () => hooks.DisposeAsync().AsTask();
            }

            return hooks;
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    /// <summary>The repository location with any user:password@ removed from a URL.</summary>
    internal static string WithoutCredentials(string location) => UserInfo().Replace(location, "://");

    private static void Print(CliContext context, HookOutputLine line)
    {
        if (context.Json)
        {
            context.Printer.JsonLine(new HookOutputMessage("hook_output", line.Hook, line.Stream, line.Text), CliJson.Output.HookOutputMessage);
        }
        else
        {
            context.Printer.Warning(line.Text);
        }
    }

    [GeneratedRegex("://[^/@]*@")]
    private static partial Regex UserInfo();

    /// <summary>The hooks of one backup run.</summary>
    internal sealed class HookScope : IAsyncDisposable
    {
        private readonly BackupHookScope _scope;
        private readonly CleanUpOnce _postHook;
        private readonly CliContext _context;

        public HookScope(BackupHookScope scope, IDisposable hold, CliContext context)
        {
            _scope = scope;
            _postHook = new CleanUpOnce(scope.DisposeAsync, hold);
            _context = context;
        }

        /// <summary>Runs the post-hook after a written backup: its failure turns <paramref name="exitCode"/> into <see cref="ExitCodes.HookFailed"/>.</summary>
        public async Task<int> FinishAsync(BackupResult backup, int exitCode)
        {
            if (await _scope.CompleteAsync(backup) is not { } failure)
            {
                return exitCode;
            }

            _context.Printer.Error(failure, ExitCodes.HookFailed);
            if (backup.SnapshotId is { } id)
            {
                _context.Printer.Note($"snapshot {id.ToShortString()} was saved; only the post-hook failed");
            }

            return ExitCodes.HookFailed;
        }

        /// <summary>Tells the post-hook why the backup failed (HAVEN_BACKUP_ERROR).</summary>
        public void RecordFailure(Exception error) => _scope.RecordFailure(error);

        /// <summary>Runs the post-hook of a failed or cancelled backup once: from the command, or at process exit when the command is stuck.</summary>
        public ValueTask DisposeAsync() => _postHook.RunAsync();
    }
}
