// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>How <see cref="ProcessRunner"/> starts a child process.</summary>
public sealed record ProcessOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Variables to set in the child only; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Bytes written to the child's stdin, which is then closed. Null gives an empty stdin.</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>
    /// For <see cref="ProcessRunner.Start"/> only: after <see cref="Stdin"/> is written, stdin stays
    /// open so the test can feed more (<see cref="RunningProcess.WriteStdinAsync"/>) and close it when it chooses.
    /// </summary>
    public bool KeepStdinOpen { get; init; }

    /// <summary>The child is killed (SIGKILL) and a <see cref="TimeoutException"/> thrown after this long.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public string? WorkingDirectory { get; init; }

    /// <summary>Returns a copy with <paramref name="extra"/> layered over <see cref="Environment"/>.</summary>
    public ProcessOptions WithEnvironment(IReadOnlyDictionary<string, string?> extra)
    {
        var merged = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in extra)
        {
            merged[name] = value;
        }

        return this with { Environment = merged };
    }
}
