// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.S3;

/// <summary>The S3 Object Lock modes.</summary>
public enum S3RetentionMode
{
    /// <summary>Nobody, not even the bucket's owner, can delete the object or shorten its retention.</summary>
    Compliance,

    /// <summary>Users with the s3:BypassGovernanceRetention permission can lift the retention.</summary>
    Governance,
}
