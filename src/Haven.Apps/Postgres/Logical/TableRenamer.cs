// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// Rewrites the statements that recreate one table so that it comes back under a new name beside
/// the original: the table, its owned sequences and its indexes are renamed wherever they are
/// named as schema.name (also inside 'schema.sequence' constants such as nextval's), and every
/// CONSTRAINT name and CREATE INDEX name gets the new table's prefix, so nothing collides with
/// the objects of the table that is still there.
/// </summary>
internal sealed class TableRenamer
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer names are cut to this many bytes.</summary>
    private const int MaxNameBytes = 63;

    private readonly string _schema;
    private readonly string _table;
    private readonly string _newTable;
    private readonly Dictionary<string, string> _relations = new(StringComparer.Ordinal);

    public TableRenamer(string schema, string table, string newTable, IEnumerable<string> ownedRelations)
    {
        _schema = schema;
        _table = table;
        _newTable = newTable;
        _relations[table] = newTable;
        foreach (string relation in ownedRelations)
        {
            _relations[relation] = NewName(relation);
        }
    }

    /// <summary>The name an index, constraint or sequence of the table gets: its table prefix replaced, else the new name put in front.</summary>
    public string NewName(string name)
    {
        if (_relations.TryGetValue(name, out string? known))
        {
            return known;
        }

        string renamed = name.StartsWith(_table, StringComparison.Ordinal) ? _newTable + name[_table.Length..] : $"{_newTable}_{name}";
        // Names here are bytes as chars (see ByteText): cutting by chars cuts by bytes.
        return renamed.Length > MaxNameBytes ? renamed[..MaxNameBytes] : renamed;
    }

    public string Rewrite(List<SqlToken> tokens)
    {
        var output = new StringBuilder();
        var previous = new List<SqlToken>();
        foreach (var token in tokens)
        {
            output.Append(Replace(token, previous));
            if (token.Kind is not (SqlTokenKind.Space or SqlTokenKind.Comment))
            {
                previous.Add(token);
            }
        }

        return output.ToString();
    }

    private string Replace(SqlToken token, List<SqlToken> previous)
    {
        if (token.IsName)
        {
            if (IsQualifiedBySchema(previous) && _relations.TryGetValue(token.Name, out string? relation))
            {
                return Quote(relation);
            }

            if (Last(previous, 1).IsKeyword("constraint") || IsIndexBeingCreated(previous))
            {
                return Quote(NewName(token.Name));
            }

            return token.Text;
        }

        return token.StringValue is { } value && RenameInConstant(value) is { } renamed
            ? "'" + renamed.Replace("'", "''", StringComparison.Ordinal) + "'"
            : token.Text;
    }

    private bool IsQualifiedBySchema(List<SqlToken> previous) =>
        Last(previous, 1) is { Kind: SqlTokenKind.Symbol, Text: "." } && Last(previous, 2) is { IsName: true } schema && schema.Name == _schema
        && Last(previous, 3) is not { Kind: SqlTokenKind.Symbol, Text: "." };

    private static bool IsIndexBeingCreated(List<SqlToken> previous) =>
        Last(previous, 1).IsKeyword("index") && (Last(previous, 2).IsKeyword("create") || Last(previous, 2).IsKeyword("unique"));

    /// <summary>'public.orders_id_seq' (as in nextval and setval) naming one of the renamed relations.</summary>
    private string? RenameInConstant(string value)
    {
        var parts = SqlLexer.Tokenize(value, out bool complete);
        if (!complete || parts.Count != 3 || !parts[0].IsName || parts[1].Text != "." || !parts[2].IsName
            || parts[0].Name != _schema || !_relations.TryGetValue(parts[2].Name, out string? relation))
        {
            return null;
        }

        return parts[0].Text + "." + Quote(relation);
    }

    private static SqlToken Last(List<SqlToken> tokens, int back) => tokens.Count >= back ? tokens[^back] : default;

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
