// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Hooks;

/// <summary>A shell command run through /bin/sh -c around a backup; <paramref name="Name"/> is "pre-hook" or "post-hook".</summary>
public sealed record HookCommand(string Name, string CommandLine, TimeSpan Timeout);
