// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Haven.Server;

/// <summary>HTTP basic authentication against an htpasswd file.</summary>
internal sealed class Authenticator(Htpasswd users)
{
    /// <summary>The user a request proves to be, or null with the reason it does not.</summary>
    public string? Authenticate(HttpContext http, out string reason)
    {
        reason = string.Empty;
        string? header = http.Request.Headers.Authorization;
        if (header is null || !AuthenticationHeaderValue.TryParse(header, out var value) ||
            !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            reason = "no credentials (HTTP basic authentication is required)";
            return null;
        }

        string pair;
        try
        {
            pair = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            reason = "malformed basic credentials";
            return null;
        }

        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        string user = colon < 0 ? pair : pair[..colon];
        ServerContext.SetUser(http, user);
        if (!users.Contains(user))
        {
            reason = "unknown user";
            return null;
        }

        if (colon < 0 || !users.Verify(user, pair[(colon + 1)..]))
        {
            reason = "wrong password";
            return null;
        }

        return user;
    }
}
