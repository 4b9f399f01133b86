// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Tests.FileSystem;

/// <summary>C# has no octal literals, and file modes read best in octal.</summary>
public static class Octal
{
    public static uint Of(string digits) => Convert.ToUInt32(digits, 8);
}
