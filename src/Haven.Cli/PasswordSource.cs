// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Cli;

/// <summary>Finds the repository password: --password-file, $HAVEN_PASSWORD_FILE, $HAVEN_PASSWORD, the embedded password file, else a prompt.</summary>
internal static class PasswordSource
{
    public static string Get(string? passwordFile, RepositoryLocator locator)
    {
        if (GetExplicit(passwordFile) is { } password)
        {
            return password;
        }

        if (locator.IsEmbedded && File.Exists(RepositoryLocator.EmbeddedPasswordFile))
        {
            return ReadFile(RepositoryLocator.EmbeddedPasswordFile);
        }

        return Prompt("enter password for repository: ");
    }

    /// <summary>The password the user gave by flag or environment, or null when none was given.</summary>
    public static string? GetExplicit(string? passwordFile)
    {
        string? file = passwordFile ?? NonEmpty(Environment.GetEnvironmentVariable("HAVEN_PASSWORD_FILE"));
        if (file is not null)
        {
            return ReadFile(file);
        }

        return NonEmpty(Environment.GetEnvironmentVariable("HAVEN_PASSWORD"));
    }

    /// <summary>A new password, for init and key add: from the usual places, or asked twice.</summary>
    public static string GetNew(string? passwordFile) => GetExplicit(passwordFile) ?? AskNew();

    /// <summary>Asks for a new password twice on the terminal.</summary>
    public static string AskNew()
    {
        string first = Prompt("enter new password: ");
        string second = Prompt("enter password again: ");
        if (first != second)
        {
            throw new UsageException("the two passwords differ; nothing was changed");
        }

        return first;
    }

    public static string ReadFile(string path)
    {
        try
        {
            // restic uses the first line, without its line ending.
            string text = File.ReadAllText(path, Encoding.UTF8);
            int end = text.IndexOfAny(['\n', '\r']);
            string password = end >= 0 ? text[..end] : text;
            if (password.Length == 0)
            {
                throw new UsageException($"the password file {path} is empty; put the password on its first line");
            }

            return password;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the password file {path}: {error.Message}");
        }
    }

    private static string Prompt(string question)
    {
        if (Console.IsInputRedirected)
        {
            string? line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                throw new UsageException("no password given: use --password-file, HAVEN_PASSWORD_FILE or HAVEN_PASSWORD, or run in a terminal to be asked");
            }

            return line;
        }

        Console.Error.Write(question);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        if (password.Length == 0)
        {
            throw new UsageException("an empty password is not allowed");
        }

        return password.ToString();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
