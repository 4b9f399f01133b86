// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Filtering;

/// <summary>Go's filepath.Match for one path component: *, ?, character classes and backslash escapes.</summary>
internal static class ComponentMatcher
{
    /// <summary>Refuses what Go's filepath.Match calls ErrBadPattern: a lone trailing backslash, an unclosed class, an empty class, and '-' or ']' where a class character belongs.</summary>
    public static void Validate(string pattern, string whole)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
                if (i >= pattern.Length)
                {
                    throw new ArgumentException($"pattern '{whole}' ends with a lone backslash");
                }
            }
            else if (pattern[i] == '[')
            {
                i = ValidateClass(pattern, i + 1, whole);
            }
        }
    }

    /// <summary>Checks a class body starting at <paramref name="i"/>; returns the index of its closing ']'.</summary>
    private static int ValidateClass(string pattern, int i, string whole)
    {
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        for (int ranges = 0; ; ranges++)
        {
            if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
            {
                return i;
            }

            i = SkipClassCharacter(pattern, i, whole);
            if (i < pattern.Length && pattern[i] == '-')
            {
                i = SkipClassCharacter(pattern, i + 1, whole);
            }
        }
    }

    private static int SkipClassCharacter(string pattern, int i, string whole)
    {
        if (i >= pattern.Length)
        {
            throw new ArgumentException($"pattern '{whole}' has a '[' without its ']'");
        }

        if (pattern[i] is '-' or ']')
        {
            throw new ArgumentException($"pattern '{whole}' has a character class that is empty or has '{pattern[i]}' where a character belongs (write \\{pattern[i]} for the character)");
        }

        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length)
            {
                throw new ArgumentException($"pattern '{whole}' ends with a lone backslash");
            }
        }

        return i + 1;
    }

    public static bool Matches(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (!pattern.IsEmpty)
        {
            char c = pattern[0];
            if (c == '*')
            {
                pattern = pattern[1..];
                if (pattern.IsEmpty)
                {
                    return true;
                }

                for (int i = 0; i <= name.Length; i++)
                {
                    if (Match(pattern, name[i..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (name.IsEmpty)
            {
                return false;
            }

            if (c == '?')
            {
                pattern = pattern[1..];
            }
            else if (c == '[')
            {
                int end = ClassEnd(pattern);
                if (!ClassMatches(pattern[1..end], name[0]))
                {
                    return false;
                }

                pattern = pattern[(end + 1)..];
            }
            else
            {
                if (c == '\\')
                {
                    pattern = pattern[1..];
                    c = pattern[0];
                }

                if (c != name[0])
                {
                    return false;
                }

                pattern = pattern[1..];
            }

            name = name[1..];
        }

        return name.IsEmpty;
    }

    private static int ClassEnd(ReadOnlySpan<char> pattern)
    {
        for (int i = 1; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']' && i > 1)
            {
                return i;
            }
        }

        return pattern.Length - 1;
    }

    private static bool ClassMatches(ReadOnlySpan<char> body, char c)
    {
        bool negate = !body.IsEmpty && body[0] == '^';
        if (negate)
        {
            body = body[1..];
        }

        bool matched = false;
        for (int i = 0; i < body.Length; i++)
        {
            char low = body[i];
            if (low == '\\' && i + 1 < body.Length)
            {
                low = body[++i];
            }

            char high = low;
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                high = body[i + 2];
                if (high == '\\' && i + 3 < body.Length)
                {
                    high = body[i + 3];
                    i++;
                }

                i += 2;
            }

            if (c >= low && c <= high)
            {
                matched = true;
            }
        }

        return matched != negate;
    }
}
