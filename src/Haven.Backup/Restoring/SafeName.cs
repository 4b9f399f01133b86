// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Restoring;

/// <summary>
/// The names a restore will create. A snapshot may come from an attacker, so a name that could
/// climb out of its folder ("..", anything with "/") or is otherwise not a plain name is refused.
/// </summary>
internal static class SafeName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && name != "." && name != ".." && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal);

    public static string Describe(string name) => name.Length == 0 ? "(empty)" : "'" + name.Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
