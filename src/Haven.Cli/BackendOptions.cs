// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Storage.Retry;

namespace Haven.Cli;

/// <summary>
/// The <c>-o key=value</c> options, as restic spells them, checked once when the command line is
/// read: a key Haven does not know is a usage error that lists the known ones. As in restic, an
/// option for another backend than the repository's is ignored (copy reads two repositories).
/// Passwords are never options: argv is readable by every user through the process list.
/// </summary>
internal sealed class BackendOptions
{
    public static readonly IReadOnlyList<string> Known =
    [
        "retry.attempts", "retry.max-time",
        "rest.ca",
        "s3.connections", "s3.object-lock-days", "s3.object-lock-mode", "s3.region", "s3.timeout",
        "sftp.identity", "sftp.known-hosts", "sftp.port",
    ];

    private readonly Dictionary<string, string> _values;

    private BackendOptions(Dictionary<string, string> values)
    {
        _values = values;
    }

    public static BackendOptions None { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Parses the values of every <c>-o</c>; a later value for the same key wins.</summary>
    public static BackendOptions Parse(IEnumerable<string>? values)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values ?? [])
        {
            int equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"-o {value}: a backend option is key=value, for example -o s3.connections=8");
            }

            string key = value[..equals].Trim();
            if (key is "rest.password" or "rest.username" or "s3.secret-key" or "s3.access-key")
            {
                throw new UsageException($"-o {key}: credentials are never taken from the command line, where every user of this machine can read them; " +
                    "put them in the repository URL or the environment (HAVEN_REST_USERNAME/HAVEN_REST_PASSWORD, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
            }

            if (!Known.Contains(key))
            {
                throw new UsageException($"-o {key}: unknown backend option; the options are {string.Join(", ", Known)}");
            }

            options[key] = value[(equals + 1)..].Trim();
        }

        return new BackendOptions(options);
    }

    /// <summary>The value of <paramref name="key"/>, or null when it was not given (or given empty).</summary>
    public string? Get(string key) => _values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    public int? Number(string key, int min, int max)
    {
        if (Get(key) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new UsageException($"-o {key}={text}: give a whole number from {min} to {max}");
    }

    /// <summary>A duration written as Go and restic write one: 90s, 2m, 1h30m, 500ms.</summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        if (Get(key) is not { } text)
        {
            return null;
        }

        return DurationText.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"-o {key}={text}: give a duration from {DurationText.Format(min)} to {DurationText.Format(max)} with its unit, for example 30s, 2m or 1h30m");
    }

    /// <summary>How a remote backend is retried: <c>retry.attempts</c> (tries in all, the first included; 1 turns retrying off) and <c>retry.max-time</c>.</summary>
    public RetryPolicy RetryPolicy()
    {
        var defaults = new RetryPolicy();
        return defaults with
        {
            MaxAttempts = Number("retry.attempts", 1, 1000) ?? defaults.MaxAttempts,
            MaxElapsed = Duration("retry.max-time", TimeSpan.Zero, TimeSpan.FromDays(7)) ?? defaults.MaxElapsed,
        };
    }
}
