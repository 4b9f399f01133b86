// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.S3;

/// <summary>An access key pair (and optional session token). <see cref="ToString"/> never shows the secret.</summary>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or null when they are not both set.</summary>
    public static S3Credentials? FromEnvironment()
    {
        string? key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        string? secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        string? token = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN");
        return string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret) ? null : new S3Credentials(key, secret, string.IsNullOrEmpty(token) ? null : token);
    }

    public override string ToString() => $"access key {AccessKeyId}";
}
