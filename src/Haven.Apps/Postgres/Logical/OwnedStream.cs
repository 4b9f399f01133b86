// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>A read-only view of a pipe that runs a clean-up (stop the producing program, free its slot) when disposed.</summary>
internal sealed class OwnedStream(Stream inner, Func<ValueTask> onDispose) : ForwardOnlyStream(inner)
{
    private bool _disposed;

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await onDispose().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            onDispose().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
