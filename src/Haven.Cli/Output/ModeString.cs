// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Output;

/// <summary>Go's FileMode.String(): "drwxr-xr-x", "Lrwxrwxrwx", "-rwsr-xr-x" and so on, as restic prints it.</summary>
internal static class ModeString
{
    private const string TypeLetters = "dalTLDpSugct?";

    public static string Format(uint mode)
    {
        var text = new System.Text.StringBuilder(16);
        for (int i = 0; i < TypeLetters.Length; i++)
        {
            if ((mode & (1u << (31 - i))) != 0)
            {
                text.Append(TypeLetters[i]);
            }
        }

        if (text.Length == 0)
        {
            text.Append('-');
        }

        const string Permissions = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
        {
            text.Append((mode & (1u << (8 - i))) != 0 ? Permissions[i] : '-');
        }

        return text.ToString();
    }
}
