// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;

namespace Haven.Apps.Hooks;

/// <summary>
/// A backup between a pre-hook and a post-hook. <see cref="StartAsync"/> runs the pre-hook; a failing
/// one aborts the backup before anything is read or written. The post-hook then always runs: from
/// <see cref="CompleteAsync"/> after a backup that was written, else from <see cref="DisposeAsync"/>
/// (failure or cancellation). It learns the outcome from HAVEN_BACKUP_STATUS (success|failed|canceled),
/// HAVEN_SNAPSHOT_ID and HAVEN_BACKUP_ERROR (the error's message, given to <see cref="RecordFailure"/>;
/// empty on success), and is not cancelled with the backup, only bounded by its own timeout.
/// </summary>
public sealed class BackupHookScope : IAsyncDisposable
{
    private readonly HookCommand? _post;
    private readonly Dictionary<string, string> _environment;
    private readonly HookRunner _runner;
    private readonly Action<string>? _onWarning;
    private readonly CancellationToken _cancellationToken;
    private int _postHookRan;
    private string? _failure;

    private BackupHookScope(HookCommand? post, string repository, HookRunner runner, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        _post = post;
        _environment = new() { ["HAVEN_REPOSITORY"] = repository };
        _runner = runner;
        _onWarning = onWarning;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Runs the pre-hook, if any; throws <see cref="HookFailedException"/> (after running the post-hook) when it fails.</summary>
    /// <param name="repository">The repository as the hooks see it in HAVEN_REPOSITORY: without credentials.</param>
    public static async Task<BackupHookScope> StartAsync(
        HookCommand? pre, HookCommand? post, string repository, HookRunner runner, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var scope = new BackupHookScope(post, repository, runner, onWarning, cancellationToken);
        if (pre is null)
        {
            return scope;
        }

        try
        {
            var result = await runner.RunAsync(pre, scope.Environment("pre"), cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new HookFailedException(pre, result);
            }
        }
        catch (Exception error)
        {
            scope.RecordFailure(error);
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return scope;
    }

    /// <summary>Remembers why the backup failed, for the post-hook's HAVEN_BACKUP_ERROR; the first failure is the cause.</summary>
    public void RecordFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        // A cancellation's own message ("The operation was canceled.") says less than the status does.
        if (error is not OperationCanceledException)
        {
            _failure ??= error.Message;
        }
    }

    /// <summary>Runs the post-hook for a backup that was written; returns its failure rather than throwing it, as the snapshot stands.</summary>
    public async Task<HookFailedException?> CompleteAsync(BackupResult backup) =>
        await RunPostAsync("success", backup.SnapshotId?.ToString(), "").ConfigureAwait(false);

    /// <summary>Runs the post-hook unless <see cref="CompleteAsync"/> did: the backup failed or was cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        bool canceled = _cancellationToken.IsCancellationRequested;
        string error = _failure ?? (canceled ? "the backup was canceled" : "the backup failed");
        if (await RunPostAsync(canceled ? "canceled" : "failed", null, error).ConfigureAwait(false) is { } failure)
        {
            _onWarning?.Invoke(failure.Message);
        }
    }

    private async Task<HookFailedException?> RunPostAsync(string status, string? snapshotId, string error)
    {
        // The command's own clean-up and the one run at process exit (after Ctrl-C) may race: one runs the hook.
        if (_post is null || Interlocked.Exchange(ref _postHookRan, 1) != 0)
        {
            return null;
        }

        var environment = Environment("post");
        environment["HAVEN_BACKUP_STATUS"] = status;
        environment["HAVEN_SNAPSHOT_ID"] = snapshotId ?? string.Empty;
        environment["HAVEN_BACKUP_ERROR"] = error;
        var result = await _runner.RunAsync(_post, environment, CancellationToken.None).ConfigureAwait(false);
        return result.Succeeded ? null : new HookFailedException(_post, result);
    }

    private Dictionary<string, string> Environment(string stage) => new(_environment) { ["HAVEN_HOOK"] = stage };
}
