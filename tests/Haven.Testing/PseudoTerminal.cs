// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Testing;

/// <summary>
/// A pseudo-terminal pair: <see cref="TerminalPath"/> (/dev/pts/N) is what a program sees as a
/// terminal for as long as this object holds the master side open. Reading a terminal ignores
/// cancellation in .NET, unlike reading a pipe, which is what a test of a stuck 'backup --stdin' needs.
/// </summary>
public sealed partial class PseudoTerminal : IDisposable
{
    private const int ReadWrite = 0x2;
    private const int NoControllingTerminal = 0x100;

    private readonly int _master;
    private bool _disposed;

    public PseudoTerminal()
    {
        _master = posix_openpt(ReadWrite | NoControllingTerminal);
        if (_master < 0 || grantpt(_master) != 0 || unlockpt(_master) != 0)
        {
            throw new InvalidOperationException($"cannot open a pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        }

        byte[] name = new byte[128];
        if (ptsname_r(_master, name, (nuint)name.Length) != 0)
        {
            throw new InvalidOperationException($"cannot name the pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        }

        TerminalPath = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
    }

    public string TerminalPath { get; }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = close(_master);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ptsname_r(int fd, [Out] byte[] buffer, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
