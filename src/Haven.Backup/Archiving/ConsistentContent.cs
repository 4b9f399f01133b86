// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// A consistent copy of a file made by an <see cref="IConsistentContentSource"/>. Disposing it
/// releases whatever the copy holds (a temporary file).
/// </summary>
public sealed class ConsistentContent : IAsyncDisposable
{
    private readonly Func<ValueTask>? _release;

    public ConsistentContent(Stream content, Func<ValueTask>? release = null)
    {
        Content = content;
        _release = release;
    }

    /// <summary>The copy's bytes, read from the start to the end.</summary>
    public Stream Content { get; }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        if (_release is not null)
        {
            await _release().ConfigureAwait(false);
        }
    }
}
