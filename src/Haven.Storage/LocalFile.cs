// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage;

/// <summary>Positional reads of a local file that fill the whole buffer.</summary>
public static class LocalFile
{
    /// <summary>Reads the first <paramref name="length"/> bytes into a new array.</summary>
    public static async Task<byte[]> ReadAllAsync(SafeFileHandle file, long length, CancellationToken cancellationToken)
    {
        byte[] content = GC.AllocateUninitializedArray<byte>(checked((int)length));
        await ReadExactlyAsync(file, content, 0, cancellationToken).ConfigureAwait(false);
        return content;
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; throws if the file ends first.</summary>
    public static async ValueTask ReadExactlyAsync(SafeFileHandle file, Memory<byte> destination, long offset, CancellationToken cancellationToken)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int n = await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException($"the file ended after {offset + done} bytes, {destination.Length - done} short of what was asked for");
            }

            done += n;
        }
    }
}
