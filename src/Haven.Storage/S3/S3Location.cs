// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.S3;

/// <summary>
/// Where an S3 repository lives, parsed from restic's spelling: <c>s3:http(s)://host:port/bucket[/prefix]</c>
/// (an explicit endpoint, path-style addressing) or <c>s3:host/bucket[/prefix]</c> (HTTPS; virtual-hosted
/// addressing for Amazon's own hosts such as s3.amazonaws.com, path-style elsewhere).
/// </summary>
public sealed record S3Location(Uri Endpoint, string Bucket, string Prefix, bool PathStyle, bool IsAmazon)
{
    public static S3Location Parse(string location)
    {
        string rest = location.StartsWith("s3:", StringComparison.Ordinal) ? location["s3:".Length..] : location;
        bool explicitScheme = rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!Uri.TryCreate(explicitScheme ? rest : "https://" + rest, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{LocationText.HidePassword(location)}' is not an S3 location: use s3:https://HOST[:PORT]/BUCKET[/PREFIX] or s3:s3.amazonaws.com/BUCKET[/PREFIX]");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new FormatException("S3 credentials do not belong in the repository URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }

        string[] segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw new FormatException($"'{location}' names no bucket: use s3:{(explicitScheme ? uri.GetLeftPart(UriPartial.Authority) : uri.Authority)}/BUCKET[/PREFIX]");
        }

        bool isAmazon = uri.Host.EndsWith("amazonaws.com", StringComparison.OrdinalIgnoreCase);
        var endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority));
        string prefix = string.Join('/', segments.Skip(1));
        return new S3Location(endpoint, Uri.UnescapeDataString(segments[0]), Uri.UnescapeDataString(prefix), PathStyle: !isAmazon, isAmazon);
    }

    /// <summary>The object key of a path inside the repository ("config", "data/ab/abcd...").</summary>
    public string Key(string path) => Prefix.Length == 0 ? path : $"{Prefix}/{path}";

    public override string ToString() => $"s3:{Endpoint.GetLeftPart(UriPartial.Authority)}/{Bucket}{(Prefix.Length == 0 ? string.Empty : "/" + Prefix)}";
}
