// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// Splits SQL as pg_restore writes it into tokens (standard_conforming_strings on). It knows
/// exactly what can hide a name or a semicolon: comments, quoted identifiers, string constants
/// and dollar quoting. The complete flag is false while a construct is still open.
/// </summary>
internal static class SqlLexer
{
    public static List<SqlToken> Tokenize(string sql, out bool complete)
    {
        var tokens = new List<SqlToken>();
        int i = 0;
        complete = true;
        while (i < sql.Length)
        {
            int start = i;
            char c = sql[i];
            SqlTokenKind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                kind = SqlTokenKind.Space;
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                i = sql.IndexOf('\n', i) is int end and >= 0 ? end : sql.Length;
                kind = SqlTokenKind.Comment;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipBlockComment(sql, i, ref complete);
                kind = SqlTokenKind.Comment;
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', backslash: false, ref complete);
                kind = SqlTokenKind.QuotedIdentifier;
            }
            else if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'', backslash: false, ref complete);
                kind = SqlTokenKind.String;
            }
            else if ((c is 'E' or 'e') && At(sql, i + 1, '\''))
            {
                i = SkipQuoted(sql, i + 1, '\'', backslash: true, ref complete);
                kind = SqlTokenKind.String;
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                int close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                complete &= close >= 0;
                i = close >= 0 ? close + tag.Length : sql.Length;
                kind = SqlTokenKind.String;
            }
            else if (IsWordStart(c))
            {
                while (i < sql.Length && (IsWordStart(sql[i]) || char.IsAsciiDigit(sql[i]) || sql[i] == '$'))
                {
                    i++;
                }

                kind = SqlTokenKind.Word;
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] is '.' or '_'))
                {
                    i++;
                }

                kind = SqlTokenKind.Word;
            }
            else
            {
                i++;
                kind = SqlTokenKind.Symbol;
            }

            tokens.Add(new SqlToken(kind, sql[start..i]));
        }

        return tokens;
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static int SkipBlockComment(string sql, int i, ref bool complete)
    {
        int depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1, '*'))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1, '/'))
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        complete = false;
        return i;
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslash, ref bool complete)
    {
        for (i++; i < sql.Length; i++)
        {
            if (backslash && sql[i] == '\\')
            {
                i++;
            }
            else if (sql[i] == quote)
            {
                if (!At(sql, i + 1, quote))
                {
                    return i + 1;
                }

                i++;
            }
        }

        complete = false;
        return sql.Length;
    }

    private static string? DollarTag(string sql, int i)
    {
        int end = i + 1;
        while (end < sql.Length && (IsWordStart(sql[end]) || (end > i + 1 && char.IsAsciiDigit(sql[end]))))
        {
            end++;
        }

        return At(sql, end, '$') ? sql[i..(end + 1)] : null;
    }
}
