// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;

namespace Haven.Cli;

/// <summary>Options every command takes, named as restic names them.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Repository { get; } = new("--repo", "-r")
    {
        Description = "Repository to use (default: $HAVEN_REPOSITORY, else the embedded repository under $XDG_DATA_HOME/haven)",
        Recursive = true,
    };

    public Option<string?> PasswordFile { get; } = new("--password-file", "-p")
    {
        Description = "File holding the repository password (default: $HAVEN_PASSWORD_FILE; $HAVEN_PASSWORD holds the password itself)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON instead of text (JSON lines for progress)",
        Recursive = true,
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print no progress and no summary; errors still go to stderr",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print more detail (for backup: every file and its status)",
        Recursive = true,
    };

    public Option<string[]> BackendOptions { get; } = new("--option", "-o")
    {
        Description = "Set a backend option as key=value (retry.attempts, retry.max-time, sftp.identity, sftp.known-hosts, sftp.port, rest.ca, s3.connections, s3.region, s3.object-lock-days, s3.object-lock-mode, s3.timeout); repeatable",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> NoCache { get; } = new("--no-cache")
    {
        Description = "Do not use the local cache of a remote repository's index, snapshots and trees",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Repository);
        root.Add(PasswordFile);
        root.Add(Json);
        root.Add(Quiet);
        root.Add(Verbose);
        root.Add(BackendOptions);
        root.Add(NoCache);
    }
}
