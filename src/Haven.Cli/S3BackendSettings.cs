// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Storage.S3;

namespace Haven.Cli;

/// <summary>
/// Builds the S3 backend from an <c>s3:</c> location, the <c>-o s3.*</c> options and the environment
/// (AWS_DEFAULT_REGION / AWS_REGION; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the SDK's chain:
/// the shared credentials file, AWS_PROFILE, ...). Secrets never appear in messages.
/// </summary>
internal static class S3BackendSettings
{
    private static readonly string[] s_known = ["s3.region", "s3.connections", "s3.object-lock-days", "s3.object-lock-mode", "s3.timeout"];

    public static S3Backend Create(string location, IReadOnlyDictionary<string, string> options)
    {
        foreach (string key in options.Keys.Where(k => k.StartsWith("s3.", StringComparison.Ordinal) && !s_known.Contains(k)))
        {
            throw new UsageException($"-o {key}: unknown S3 option; the S3 options are {string.Join(", ", s_known)}");
        }

        S3Location parsed;
        try
        {
            parsed = S3Location.Parse(location);
        }
        catch (FormatException error)
        {
            throw new UsageException(error.Message);
        }

        var settings = new S3Options
        {
            Region = Get(options, "s3.region") ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION")),
            Connections = Number(options, "s3.connections", 1, 128) ?? 5,
            RequestTimeout = TimeSpan.FromSeconds(Number(options, "s3.timeout", 1, 3600) ?? 120),
            ObjectLockDays = Number(options, "s3.object-lock-days", 1, 36500),
            ObjectLockMode = Get(options, "s3.object-lock-mode")?.ToUpperInvariant() switch
            {
                null or "COMPLIANCE" => S3RetentionMode.Compliance,
                "GOVERNANCE" => S3RetentionMode.Governance,
                _ => throw new UsageException("-o s3.object-lock-mode: use compliance or governance"),
            },
            Credentials = S3Credentials.FromEnvironment(),
        };
        return new S3Backend(parsed, settings);
    }

    private static string? Get(IReadOnlyDictionary<string, string> options, string key) => options.TryGetValue(key, out string? value) ? NonEmpty(value) : null;

    private static int? Number(IReadOnlyDictionary<string, string> options, string key, int min, int max)
    {
        if (Get(options, key) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new UsageException($"-o {key}={text}: give a whole number from {min} to {max}");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
