// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>One haven command run as the server user, with its output for assertion messages.</summary>
public sealed record HavenRun(string[] Args, ProcessResult Result)
{
    public int ExitCode => Result.ExitCode;

    public string Stdout => Result.Stdout;

    public string Stderr => Result.Stderr;

    public HavenRun Check()
    {
        Assert.True(Result.ExitCode == 0, $"haven {string.Join(' ', Args)} exited {Result.ExitCode}\nstdout: {Result.Stdout}\nstderr: {Result.Stderr}");
        return this;
    }
}
