// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Hooks;

/// <summary>A hook exited non-zero or ran out of time; the message names it, its exit code and its last lines on stderr.</summary>
public sealed class HookFailedException : Exception
{
    public HookFailedException(HookCommand hook, HookResult result)
        : base(Describe(hook, result))
    {
        Hook = hook;
        Result = result;
    }

    public HookCommand Hook { get; }

    public HookResult Result { get; }

    private static string Describe(HookCommand hook, HookResult result)
    {
        string what = result.TimedOut
            ? $"{hook.Name} '{hook.CommandLine}' did not finish within {hook.Timeout.TotalSeconds:0.###} s and was killed with its process group (raise --hook-timeout if it needs longer)"
            : $"{hook.Name} '{hook.CommandLine}' failed with exit code {result.ExitCode}";
        return result.StandardErrorTail.Count == 0
            ? what + "; it wrote nothing to stderr"
            : what + "; the last lines it wrote to stderr:\n  " + string.Join("\n  ", result.StandardErrorTail);
    }
}
