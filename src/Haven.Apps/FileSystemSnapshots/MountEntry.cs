// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// One line of /proc/self/mountinfo: the device, the folder of the file system mounted
/// (<paramref name="Root"/>, "/" unless a bind mount), where it is mounted, its type and source.
/// </summary>
internal sealed record MountEntry(uint Major, uint Minor, string Root, string MountPoint, string Type, string Source);
