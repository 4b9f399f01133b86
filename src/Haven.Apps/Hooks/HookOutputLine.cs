// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Hooks;

/// <summary>One line a hook wrote; <paramref name="Stream"/> is "stdout" or "stderr".</summary>
public sealed record HookOutputLine(string Hook, string Stream, string Text);
