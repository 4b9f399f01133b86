// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Backup.FileSystem;

/// <summary>
/// A failed file-system call: which operation, on which path, and the errno it returned.
/// The message reads like the C library's: <c>lstat /srv/x: Permission denied</c>.
/// </summary>
public sealed class FileSystemException : IOException
{
    public FileSystemException()
        : this("A file-system operation failed.")
    {
    }

    public FileSystemException(string message)
        : base(message)
    {
        Operation = "?";
        Path = string.Empty;
    }

    public FileSystemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "?";
        Path = string.Empty;
    }

    public FileSystemException(int errno, string operation, string path)
        : base($"{operation} {path}: {Marshal.GetPInvokeErrorMessage(errno)}")
    {
        Errno = errno;
        Operation = operation;
        Path = path;
        HResult = errno;
    }

    /// <summary>The C errno value (same numbers on x86_64 and aarch64).</summary>
    public int Errno { get; }

    /// <summary>The libc call that failed, e.g. <c>lstat</c>.</summary>
    public string Operation { get; }

    /// <summary>The path as given; it may hold <see cref="Haven.Format.RawName"/> escapes.</summary>
    public string Path { get; }

    /// <summary>True for ENOENT and ENOTDIR: the path (or one of its parents) does not exist.</summary>
    public bool IsNotFound => Errno is ErrorNumber.NoEntry or ErrorNumber.NotDirectory;

    /// <summary>True for EEXIST: the target of a create call exists already.</summary>
    public bool IsAlreadyExists => Errno == ErrorNumber.Exists;

    internal static void ThrowOnError(long result, string operation, string path)
    {
        if (result < 0)
        {
            throw FromLastError(operation, path);
        }
    }

    internal static FileSystemException FromLastError(string operation, string path) =>
        new(Marshal.GetLastPInvokeError(), operation, path);
}
