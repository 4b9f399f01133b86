// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>What a finished child process left behind: its exit code and both outputs.</summary>
/// <param name="StdoutBytes">Standard output exactly as written (it may hold raw file names).</param>
/// <param name="Stdout">Standard output decoded as UTF-8 (invalid bytes become U+FFFD).</param>
/// <param name="Stderr">Standard error decoded as UTF-8.</param>
public sealed record ProcessResult(int ExitCode, byte[] StdoutBytes, string Stdout, string Stderr);
