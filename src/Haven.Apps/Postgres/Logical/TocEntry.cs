// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// One line of "pg_restore -l": "3379; 0 16393 TABLE DATA public orders postgres". The line is
/// kept whole because a list file for "pg_restore -L" is made of these lines, in this order.
/// </summary>
internal sealed record TocEntry(string Line, string Kind, string Schema, string Tag)
{
    // Kinds of more than one word; the rest are one word (TABLE, INDEX, SEQUENCE, DEFAULT, ...).
    private static readonly string[] s_multiWordKinds =
    [
        "MATERIALIZED VIEW DATA", "SEQUENCE OWNED BY", "MATERIALIZED VIEW", "FK CONSTRAINT", "CHECK CONSTRAINT", "SEQUENCE SET",
        "TABLE DATA", "INDEX ATTACH", "DEFAULT ACL", "ROW SECURITY", "LARGE OBJECT", "FOREIGN TABLE", "EVENT TRIGGER",
        "TABLE ATTACH", "SHELL TYPE", "PUBLICATION TABLE", "PUBLICATION TABLES IN SCHEMA", "FOREIGN DATA WRAPPER", "USER MAPPING",
        "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "OPERATOR CLASS",
        "OPERATOR FAMILY", "PROCEDURAL LANGUAGE", "STATISTICS DATA",
    ];

    /// <summary>Parses the entries of a "pg_restore -l" listing, skipping its ';' comment lines.</summary>
    /// <remarks>
    /// The listing separates fields with spaces and quotes nothing, so a schema named "Archive 2024"
    /// is told apart from a table "2024 ..." by the listing's own SCHEMA entries, longest name first.
    /// </remarks>
    public static List<TocEntry> ParseListing(string listing)
    {
        string[] lines = listing.Split('\n');
        var schemas = lines.Select(line => Parse(line, [])).OfType<TocEntry>().Where(entry => entry.Kind == "SCHEMA").Select(entry => entry.Tag)
            .Append("public").Distinct(StringComparer.Ordinal).OrderByDescending(schema => schema.Length).ToList();
        return lines.Select(line => Parse(line, schemas)).OfType<TocEntry>().ToList();
    }

    /// <summary>The owner is the last word; the tag is what lies between the schema and the owner (it may hold spaces).</summary>
    internal static TocEntry? Parse(string line, IReadOnlyList<string> knownSchemas)
    {
        int semicolon = line.IndexOf("; ", StringComparison.Ordinal);
        if (line.Length == 0 || line[0] == ';' || semicolon < 0)
        {
            return null;
        }

        // After "ID; " come the catalog OID and the object OID, then the kind.
        string[] head = line[(semicolon + 2)..].Split(' ', 3);
        if (head.Length < 3)
        {
            return null;
        }

        string rest = head[2];
        string kind = s_multiWordKinds.FirstOrDefault(k => rest.StartsWith(k + " ", StringComparison.Ordinal)) ?? rest[..Math.Max(0, rest.IndexOf(' ', StringComparison.Ordinal))];
        if (kind.Length == 0)
        {
            return null;
        }

        rest = rest[(kind.Length + 1)..];
        string? known = knownSchemas.FirstOrDefault(schema => rest.StartsWith(schema + " ", StringComparison.Ordinal));
        int schemaEnd = known?.Length ?? rest.IndexOf(' ', StringComparison.Ordinal);
        int ownerStart = rest.LastIndexOf(' ');
        if (schemaEnd < 0 || ownerStart <= schemaEnd)
        {
            return null;
        }

        return new TocEntry(line, kind, rest[..schemaEnd], rest[(schemaEnd + 1)..ownerStart]);
    }
}
