// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>What a piece of SQL text is, as far as renaming a table needs to know.</summary>
internal enum SqlTokenKind
{
    Space,
    Comment,

    /// <summary>A keyword or an unquoted identifier (pg_dump writes these in lower case).</summary>
    Word,
    QuotedIdentifier,

    /// <summary>A string constant: '...', E'...' or $tag$...$tag$.</summary>
    String,
    Symbol,
}

/// <summary>One token: its kind and its exact text, so that joining the texts gives the input back.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text)
{
    /// <summary>The name a Word or QuotedIdentifier stands for ("Orders" for "\"Orders\"").</summary>
    public string Name => Kind == SqlTokenKind.QuotedIdentifier ? Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : Text;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public bool IsKeyword(string keyword) => Kind == SqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>The content of a plain '...' constant, or null for other tokens.</summary>
    public string? StringValue => Kind == SqlTokenKind.String && Text.StartsWith('\'') ? Text[1..^1].Replace("''", "'", StringComparison.Ordinal) : null;
}
