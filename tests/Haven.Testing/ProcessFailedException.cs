// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>A command run with RunChecked exited non-zero; the message holds everything to diagnose it.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException(string commandLine, ProcessResult result)
        : base($"{commandLine} exited with code {result.ExitCode}\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}")
    {
        CommandLine = commandLine;
        Result = result;
    }

    public string CommandLine { get; }

    public ProcessResult Result { get; }
}
