// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.RegularExpressions;

namespace Haven.Backup.Tests.Filtering;

/// <summary>
/// restic 0.14's filter.Match written out plainly (internal/filter/filter.go), with components
/// matched by a regular expression, for patterns made of literals, *, ?, and simple classes. It is
/// true when the pattern matches the path or any folder above it.
/// </summary>
internal static class ResticPatternReference
{
    public static bool Match(string pattern, string path)
    {
        string trimmed = pattern.TrimEnd('/');
        var parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (pattern.StartsWith('/'))
        {
            parts.Insert(0, "/");
        }

        return Match(parts, ["/", .. path.Split('/', StringSplitOptions.RemoveEmptyEntries)]);
    }

    private static bool Match(List<string> pattern, string[] strs)
    {
        int pos = pattern.IndexOf("**");
        if (pos >= 0)
        {
            // Expand "**" into 0, 1, 2, ... single-component wildcards.
            for (int i = 0; i <= strs.Length - pattern.Count + 1; i++)
            {
                List<string> expanded = [.. pattern[..pos], .. Enumerable.Repeat("*", i), .. pattern[(pos + 1)..]];
                if (Match(expanded, strs))
                {
                    return true;
                }
            }

            return false;
        }

        if (pattern.Count == 0)
        {
            return strs.Length == 0;
        }

        if (pattern.Count > strs.Length)
        {
            return false;
        }

        int minOffset = 0;
        int maxOffset = strs.Length - pattern.Count;
        if (pattern[0] == "/")
        {
            maxOffset = 0;
        }
        else if (strs[0] == "/")
        {
            minOffset = 1;
        }

        for (int offset = maxOffset; offset >= minOffset; offset--)
        {
            if (pattern.Select((part, i) => ComponentMatches(part, strs[offset + i])).All(m => m))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ComponentMatches(string part, string name)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < part.Length; i++)
        {
            char c = part[i];
            if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '[')
            {
                int end = part.IndexOf(']', i);
                regex.Append(part[i..(end + 1)]);
                i = end;
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return Regex.IsMatch(name, regex.Append('$').ToString(), RegexOptions.None, TimeSpan.FromSeconds(5));
    }
}
