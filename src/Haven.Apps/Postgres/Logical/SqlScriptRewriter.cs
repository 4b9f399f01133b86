// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// Walks a psql script as pg_restore writes it, line by line so that a table's data streams
/// through: comment lines and psql meta-commands (\restrict) go out as they are, COPY data up to
/// its "\." line is never parsed, and each complete SQL statement is handed to a rewrite.
/// </summary>
internal sealed class SqlScriptRewriter(Func<List<SqlToken>, string> rewrite)
{
    private readonly StringBuilder _statement = new();
    private bool _inCopyData;

    /// <summary>The text to pass on for <paramref name="line"/> (without its newline); empty while a statement is still open.</summary>
    public string Feed(string line)
    {
        if (_inCopyData)
        {
            _inCopyData = line != "\\.";
            return line + "\n";
        }

        if (_statement.Length == 0 && (line.Length == 0 || line[0] == '\\' || line.StartsWith("--", StringComparison.Ordinal)))
        {
            return line + "\n";
        }

        _statement.Append(line).Append('\n');
        var tokens = SqlLexer.Tokenize(_statement.ToString(), out bool complete);
        var significant = tokens.Where(token => token.Kind is not (SqlTokenKind.Space or SqlTokenKind.Comment)).ToList();
        if (!complete || significant.Count == 0 || significant[^1].Text != ";")
        {
            return "";
        }

        _statement.Clear();
        _inCopyData = significant.Count >= 4 && significant[0].IsKeyword("copy") && significant[^2].IsKeyword("stdin") && significant[^3].IsKeyword("from");
        return rewrite(tokens);
    }

    /// <summary>True when the script ended in the middle of a statement or of COPY data.</summary>
    public bool IsIncomplete => _inCopyData || _statement.Length > 0;
}
