// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.S3;

/// <summary>How the S3 backend talks to the store; the CLI fills it from <c>-o s3.*</c> options and the environment.</summary>
public sealed record S3Options
{
    /// <summary>The signing region; us-east-1 when unset.</summary>
    public string? Region { get; init; }

    /// <summary>How many requests may run at once (restic's s3.connections, default 5).</summary>
    public int Connections { get; init; } = 5;

    /// <summary>The longest one request may take before it is abandoned as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Files at least this large are uploaded in parts.</summary>
    public long MultipartThreshold { get; init; } = 64L * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload (S3 needs at least 5 MiB).</summary>
    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>When set, every uploaded file except locks is kept from deletion for this long (S3 Object Lock).</summary>
    public int? ObjectLockDays { get; init; }

    /// <summary>The Object Lock mode: COMPLIANCE (nobody can shorten it) or GOVERNANCE.</summary>
    public S3RetentionMode ObjectLockMode { get; init; } = S3RetentionMode.Compliance;

    /// <summary>Explicit credentials; when null the SDK's default chain (environment, shared credentials file, ...) is used.</summary>
    public S3Credentials? Credentials { get; init; }

    /// <summary>The clock for retention dates.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
