// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.FileSystem;

/// <summary>The errno values this layer reacts to (asm-generic numbers, shared by x86_64 and aarch64).</summary>
internal static class ErrorNumber
{
    public const int NotPermitted = 1;
    public const int NoEntry = 2;
    public const int Interrupted = 4;
    public const int NoDeviceOrAddress = 6;
    public const int Exists = 17;
    public const int NotDirectory = 20;
    public const int IsDirectory = 21;
    public const int Range = 34;
    public const int NameTooLong = 36;
    public const int NoSystemCall = 38;
    public const int NoData = 61;
    public const int NotSupported = 95;
}
