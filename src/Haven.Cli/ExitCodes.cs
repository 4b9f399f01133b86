// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Repository.Errors;

namespace Haven.Cli;

/// <summary>
/// The only mapping from outcomes to exit codes; the README's table documents it. The numbers are
/// restic's, so scripts written for restic read Haven's the same way.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Fatal = 1;
    public const int Usage = 2;
    public const int PartialBackup = 3;
    public const int RepositoryNotFound = 10;
    public const int LockFailed = 11;
    public const int WrongPassword = 12;

    /// <summary>backup: a --pre-hook failed (nothing was backed up) or a --post-hook failed (the snapshot was saved).</summary>
    public const int HookFailed = 20;
    public const int Interrupted = 130;

    public static int For(Exception error) => error switch
    {
        OperationCanceledException => Interrupted,
        RepositoryNotFoundException => RepositoryNotFound,
        RepositoryLockedException => LockFailed,
        WrongPasswordException => WrongPassword,
        UsageException => Usage,
        Apps.Hooks.HookFailedException => HookFailed,
        _ => Fatal,
    };
}
