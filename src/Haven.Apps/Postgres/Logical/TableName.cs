// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>A table's schema and name as the catalog stores them (case kept, no quotes).</summary>
public sealed record TableName(string Schema, string Name)
{
    /// <summary>
    /// Reads "schema.name" (either part may be "double quoted"; unquoted parts are folded to lower
    /// case as PostgreSQL does); a name without a schema is in "public".
    /// </summary>
    public static TableName Parse(string text)
    {
        var parts = new List<string>();
        var tokens = SqlLexer.Tokenize(text.Trim(), out bool complete);
        bool expectName = true;
        foreach (var token in tokens)
        {
            if (expectName && token.IsName)
            {
                parts.Add(token.Kind == SqlTokenKind.Word ? token.Name.ToLowerInvariant() : token.Name);
                expectName = false;
            }
            else if (!expectName && token is { Kind: SqlTokenKind.Symbol, Text: "." })
            {
                expectName = true;
            }
            else
            {
                throw new ArgumentException($"'{text}' is not a table name of the form schema.name");
            }
        }

        return complete && !expectName && parts.Count is 1 or 2
            ? parts.Count == 2 ? new TableName(parts[0], parts[1]) : new TableName("public", parts[0])
            : throw new ArgumentException($"'{text}' is not a table name of the form schema.name");
    }

    /// <summary>The name as SQL would write it, quoted where needed: public.orders, "Sales"."Q1 orders".</summary>
    public override string ToString() => $"{Quote(Schema)}.{Quote(Name)}";

    internal static string Quote(string name) =>
        name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? name
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
