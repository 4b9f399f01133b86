// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// pg_restore's output is in the dump's encoding, which need not be UTF-8. Haven reads and writes
/// it as Latin-1, one char per byte, so every byte goes to psql unchanged; names from the command
/// line are brought into the same form (a UTF-8 database's names, byte for byte) to compare with it.
/// </summary>
internal static class ByteText
{
    public static Encoding Encoding => Encoding.Latin1;

    /// <summary>A name typed by the user, as the bytes a UTF-8 dump holds for it.</summary>
    public static string FromUtf8(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>A name read from the dump, for messages.</summary>
    public static string ToUtf8(string bytes) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(bytes));
}
