// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>
/// A clean-up that runs once, whoever starts it first (the command, or process exit when the command
/// is stuck), and then releases the <see cref="ShutdownHold"/> that kept the process alive for it.
/// </summary>
internal sealed class CleanUpOnce(Func<ValueTask> cleanUp, IDisposable hold)
{
    private readonly Lock _gate = new();
    private Task? _run;

    public ValueTask RunAsync()
    {
        lock (_gate)
        {
            _run ??= RunCoreAsync();
            return new ValueTask(_run);
        }
    }

    private async Task RunCoreAsync()
    {
        try
        {
            await cleanUp();
        }
        finally
        {
            hold.Dispose();
        }
    }
}
