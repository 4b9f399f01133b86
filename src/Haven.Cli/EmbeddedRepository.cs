// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Cli.Commands;

namespace Haven.Cli;

/// <summary>
/// The repository Haven uses when none is named: created by the first backup, with a random
/// password kept in a file only the user can read, so that 'haven backup DIR' works on a fresh machine.
/// </summary>
internal static class EmbeddedRepository
{
    public static async Task EnsureAsync(CliContext context, CancellationToken cancellationToken)
    {
        if (!context.Locator.IsEmbedded)
        {
            return;
        }

        var backend = context.Locator.CreateBackend();
        if (await Repository.Repository.ExistsAsync(backend, cancellationToken))
        {
            return;
        }

        string passwordFile = RepositoryLocator.EmbeddedPasswordFile;
        string password;
        if (PasswordSource.GetExplicit(context.PasswordFile) is { } given)
        {
            // The user chose a password (flag or environment): use it, and write no password file.
            password = given;
            passwordFile = "the password you gave";
        }
        else if (File.Exists(passwordFile))
        {
            password = PasswordSource.ReadFile(passwordFile);
        }
        else
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Directory.CreateDirectory(Path.GetDirectoryName(passwordFile)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            await using (var stream = new FileStream(passwordFile, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteLineAsync(password);
            }
        }

        await using var repository = await Repository.Repository.InitAsync(backend, password, context.RepositoryOptions, InitCommand.NewPolynomial().Value, cancellationToken);
        context.Printer.Warning($"created the embedded repository at {backend.Location}");
        if (passwordFile == RepositoryLocator.EmbeddedPasswordFile)
        {
            context.Printer.Warning($"its password is in {passwordFile}: keep a copy of that file somewhere safe, because without it these backups cannot be read");
        }
    }
}
