// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Crypto;

namespace Haven.Repository;

/// <summary>How a repository is opened and written; the CLI builds one from its flags.</summary>
public sealed record RepositoryOptions
{
    public required ProcessIdentity Identity { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>restic 0.14's default pack size; restic accepts 4 to 128 MiB.</summary>
    public int PackSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>The key derivation cost for key files written by this process.</summary>
    public ScryptParameters KeyParameters { get; init; } = ScryptParameters.Default;

    /// <summary>
    /// When set, asked for the cost each time a key file is written instead of <see cref="KeyParameters"/>:
    /// calibrating takes a derivation's time, so only commands that write a key should pay for it.
    /// </summary>
    public Func<ScryptParameters>? CalibrateKeyParameters { get; init; }

    /// <summary>Where packs are assembled before they are stored (unlinked files, gone with the process).</summary>
    public string TemporaryDirectory { get; init; } = Path.GetTempPath();

    /// <summary>How many pack uploads may run at once.</summary>
    public int UploadConcurrency { get; init; } = 2;

    /// <summary>
    /// Where remote repositories keep their local cache (index, snapshots and tree packs), one folder
    /// per repository ID below it; null for no cache (local repositories, --no-cache).
    /// </summary>
    public string? CacheDirectory { get; init; }
}
