// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Hooks;

/// <summary>How a hook ended: its exit code (-1 when it was killed), whether its time ran out, and the last lines it wrote to stderr.</summary>
public sealed record HookResult(int ExitCode, bool TimedOut, IReadOnlyList<string> StandardErrorTail)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;
}
