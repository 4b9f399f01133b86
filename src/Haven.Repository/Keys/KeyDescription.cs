// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository.Keys;

/// <summary>One key file as 'key list' shows it; <see cref="Error"/> is set when the file cannot be parsed.</summary>
public sealed record KeyDescription(Id Id, string Username, string Hostname, string Created, string? Error);
