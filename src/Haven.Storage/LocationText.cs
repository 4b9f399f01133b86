// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage;

/// <summary>Repository locations as the user typed them, made safe for messages.</summary>
public static class LocationText
{
    /// <summary>
    /// The location with the password of a <c>scheme://user:password@host</c> part replaced by ***,
    /// for echoing a location that could not be parsed; the user name stays, so the message still
    /// says which location is meant.
    /// </summary>
    public static string HidePassword(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        int at = location.IndexOf('@', StringComparison.Ordinal);
        int scheme = location.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return location;
        }

        string userInfo = location[(scheme + 3)..at];
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? location : location[..(scheme + 3)] + userInfo[..colon] + ":***" + location[at..];
    }
}
