// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.S3;

namespace Haven.Cli;

/// <summary>
/// Builds the S3 backend from an <c>s3:</c> location, the <c>-o s3.*</c> options and the environment
/// (AWS_DEFAULT_REGION / AWS_REGION; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the SDK's chain:
/// the shared credentials file, AWS_PROFILE, ...). Secrets never appear in messages.
/// </summary>
internal static class S3BackendSettings
{
    public static S3Backend Create(string location, BackendOptions options)
    {
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
            Region = options.Get("s3.region") ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION")),
            Connections = options.Number("s3.connections", 1, 128) ?? 5,
            RequestTimeout = TimeSpan.FromSeconds(options.Number("s3.timeout", 1, 3600) ?? 120),
            ObjectLockDays = options.Number("s3.object-lock-days", 1, 36500),
            ObjectLockMode = options.Get("s3.object-lock-mode")?.ToUpperInvariant() switch
            {
                null or "COMPLIANCE" => S3RetentionMode.Compliance,
                "GOVERNANCE" => S3RetentionMode.Governance,
                _ => throw new UsageException("-o s3.object-lock-mode: use compliance or governance"),
            },
            Credentials = S3Credentials.FromEnvironment(),
        };
        return new S3Backend(parsed, settings);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
