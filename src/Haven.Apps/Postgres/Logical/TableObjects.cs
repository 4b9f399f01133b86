// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// The entries of a dump that make up one table: the table, its rows, defaults, constraints,
/// indexes, owned sequences with their values, triggers, comments and grants. The TOC names the
/// table for most of them; for indexes, owned sequences and foreign keys the owning or referenced
/// table is only in their SQL, which <see cref="Analyze"/> reads from a schema-only rendering.
/// </summary>
internal sealed class TableObjects
{
    private TableObjects(TableName table, List<TocEntry> entries, List<string> sequences, List<string> indexes, List<string> indexBackedConstraints, List<ForeignKey> foreignKeys)
    {
        Table = table;
        Entries = entries;
        Sequences = sequences;
        Indexes = indexes;
        IndexBackedConstraints = indexBackedConstraints;
        ForeignKeys = foreignKeys;
    }

    public TableName Table { get; }

    /// <summary>The chosen entries in the dump's own order, which is the order pg_restore must run them in.</summary>
    public List<TocEntry> Entries { get; }

    public List<string> Sequences { get; }

    public List<string> Indexes { get; }

    /// <summary>Primary key, unique and exclusion constraints: each creates an index of its own name.</summary>
    public List<string> IndexBackedConstraints { get; }

    public List<ForeignKey> ForeignKeys { get; }

    /// <summary>The entries whose owner must be read from their SQL: every index, sequence and foreign key in the table's schema.</summary>
    public static List<TocEntry> NeedingSql(IReadOnlyList<TocEntry> toc, TableName table) =>
        toc.Where(e => e.Schema == table.Schema && (e.Kind is "INDEX" or "SEQUENCE" or "SEQUENCE OWNED BY" || (e.Kind == "FK CONSTRAINT" && e.Tag.StartsWith(table.Name + " ", StringComparison.Ordinal)))).ToList();

    /// <summary>Chooses the table's entries; <paramref name="rendered"/> is "pg_restore -f -" of <see cref="NeedingSql"/>.</summary>
    public static TableObjects Analyze(IReadOnlyList<TocEntry> toc, TableName table, string rendered)
    {
        var sequences = new HashSet<string>(StringComparer.Ordinal);
        var indexes = new HashSet<string>(StringComparer.Ordinal);
        var foreignKeys = new List<ForeignKey>();
        foreach (var (kind, tag, sql) in RenderedBlocks(rendered))
        {
            var words = SqlLexer.Tokenize(sql, out _).Where(t => t.Kind is not (SqlTokenKind.Space or SqlTokenKind.Comment)).ToList();
            switch (kind)
            {
                case "INDEX" when After(words, "on", skip: "only") == table:
                    indexes.Add(tag);
                    break;
                case "SEQUENCE OWNED BY" when After(words, "by", skip: null) == table:
                case "SEQUENCE" when words.Count > 2 && words[0].IsKeyword("alter") && words[1].IsKeyword("table") && After(words, "table", skip: "only") == table:
                    sequences.Add(tag);
                    break;
                case "FK CONSTRAINT" when After(words, "references", skip: null) is { } target:
                    foreignKeys.Add(new ForeignKey(tag[(table.Name.Length + 1)..], target));
                    break;
            }
        }

        string prefix = table.Name + " ";
        bool Chosen(TocEntry e) => e.Schema == table.Schema && e.Kind switch
        {
            "TABLE" or "TABLE DATA" => e.Tag == table.Name,
            "DEFAULT" or "CONSTRAINT" or "FK CONSTRAINT" or "CHECK CONSTRAINT" or "TRIGGER" => e.Tag.StartsWith(prefix, StringComparison.Ordinal),
            "INDEX" => indexes.Contains(e.Tag),
            "SEQUENCE" or "SEQUENCE OWNED BY" or "SEQUENCE SET" => sequences.Contains(e.Tag),
            "COMMENT" or "ACL" => e.Tag == "TABLE " + table.Name || e.Tag.StartsWith("COLUMN " + table.Name + ".", StringComparison.Ordinal)
                || e.Tag.EndsWith(" ON " + table.Name, StringComparison.Ordinal)
                || (e.Tag.StartsWith("INDEX ", StringComparison.Ordinal) && indexes.Contains(e.Tag[6..]))
                || (e.Tag.StartsWith("SEQUENCE ", StringComparison.Ordinal) && sequences.Contains(e.Tag[9..])),
            _ => false,
        };
        var entries = toc.Where(Chosen).ToList();
        var indexBacked = entries.Where(e => e.Kind == "CONSTRAINT").Select(e => e.Tag[prefix.Length..]).ToList();
        return new TableObjects(table, entries, [.. sequences], [.. indexes], indexBacked, foreignKeys);
    }

    /// <summary>The schema-qualified name after <paramref name="keyword"/> (and an optional <paramref name="skip"/> word).</summary>
    private static TableName? After(List<SqlToken> words, string keyword, string? skip)
    {
        int i = words.FindIndex(word => word.IsKeyword(keyword));
        if (i < 0)
        {
            return null;
        }

        i++;
        if (skip is not null && i < words.Count && words[i].IsKeyword(skip))
        {
            i++;
        }

        return i + 2 < words.Count && words[i].IsName && words[i + 1].Text == "." && words[i + 2].IsName ? new TableName(words[i].Name, words[i + 2].Name) : null;
    }

    /// <summary>Splits pg_restore's script at its "-- Name: TAG; Type: KIND; Schema: S; Owner: O" headers.</summary>
    private static IEnumerable<(string Kind, string Tag, string Sql)> RenderedBlocks(string rendered)
    {
        string? kind = null;
        string? tag = null;
        var sql = new System.Text.StringBuilder();
        foreach (string line in rendered.Split('\n'))
        {
            if (line.StartsWith("-- Name: ", StringComparison.Ordinal))
            {
                if (kind is not null)
                {
                    yield return (kind, tag!, sql.ToString());
                }

                int type = line.IndexOf("; Type: ", StringComparison.Ordinal);
                int schema = line.IndexOf("; Schema: ", type + 1, StringComparison.Ordinal);
                tag = line[9..type];
                kind = line[(type + 8)..schema];
                sql.Clear();
            }
            else if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                sql.Append(line).Append('\n');
            }
        }

        if (kind is not null)
        {
            yield return (kind, tag!, sql.ToString());
        }
    }
}
