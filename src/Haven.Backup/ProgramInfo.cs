// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup;

/// <summary>The version recorded in snapshots and printed by 'haven version'.</summary>
public static class ProgramInfo
{
    public static string Version { get; } = "haven " + (typeof(ProgramInfo).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
}
