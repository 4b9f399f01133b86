// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Server;

/// <summary>The resource a request path names.</summary>
internal enum TargetKind
{
    Repository,
    Config,
    Listing,
    File,
}
