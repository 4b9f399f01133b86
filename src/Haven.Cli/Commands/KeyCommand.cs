// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Cli.Output;
using Haven.Format;
using Haven.Repository.Keys;
using Haven.Repository.Locking;

namespace Haven.Cli.Commands;

/// <summary>haven key list|add|passwd|remove: the passwords that open a repository.</summary>
internal static class KeyCommand
{
    public static Command Create(GlobalOptions options)
    {
        var newPasswordFile = new Option<string?>("--new-password-file") { Description = "File holding the new password (else $HAVEN_NEW_PASSWORD, else asked twice)", Recursive = true };
        var command = new Command("key", "Manage the keys (passwords) of a repository") { newPasswordFile };

        var list = new Command("list", "List the keys");
        list.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var keys = await KeyStore.ListAsync(repository.Backend, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(keys.Select(k => new KeyListEntry(k.Id == repository.KeyId, k.Id.ToString(), k.Username, k.Hostname, k.Created)).ToList(), CliJson.Output.ListKeyListEntry);
                return ExitCodes.Success;
            }

            var table = new TextTable(" ID", "User", "Host", "Created");
            foreach (var key in keys)
            {
                string marker = key.Id == repository.KeyId ? "*" : " ";
                table.Add(marker + key.Id.ToShortString(), key.Username, key.Hostname, key.Error is null ? key.Created : "damaged: " + key.Error);
            }

            foreach (string line in table.Render())
            {
                context.Printer.Line(line);
            }

            return ExitCodes.Success;
        });

        var add = new Command("add", "Add a key with a new password");
        add.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            string password = NewPassword(context, newPasswordFile);
            var id = await KeyStore.SaveNewKeyAsync(repository.Backend, repository.Key, password, repository.Options, cancellationToken);
            context.Printer.Line($"saved new key {id.ToShortString()}");
            return ExitCodes.Success;
        });

        var passwd = new Command("passwd", "Change the password of the key in use");
        passwd.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            string password = NewPassword(context, newPasswordFile);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            var id = await KeyStore.ChangePasswordAsync(repository, password, cancellationToken);
            context.Printer.Line($"saved new key {id.ToShortString()} and removed the old key {repository.KeyId.ToShortString()}");
            return ExitCodes.Success;
        });

        var keyId = new Argument<string>("ID") { Description = "Key ID (a unique prefix)" };
        var remove = new Command("remove", "Remove a key") { keyId };
        remove.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            string prefix = context.ParseResult.GetValue(keyId)!;
            var matches = (await repository.ListIdsAsync(FileType.Key, cancellationToken)).Where(k => k.ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count != 1 || prefix.Length == 0)
            {
                throw new UsageException(matches.Count == 0 ? $"no key has an ID starting with '{prefix}'; 'haven key list' shows them" : $"'{prefix}' is the start of {matches.Count} key IDs; give more characters");
            }

            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            await KeyStore.RemoveAsync(repository, matches[0], cancellationToken);
            context.Printer.Line($"removed key {matches[0].ToShortString()}");
            return ExitCodes.Success;
        });

        command.Add(list);
        command.Add(add);
        command.Add(passwd);
        command.Add(remove);
        return command;
    }

    private static string NewPassword(CliContext context, Option<string?> newPasswordFile)
    {
        if (context.ParseResult.GetValue(newPasswordFile) is { } file)
        {
            return PasswordSource.ReadFile(file);
        }

        if (Environment.GetEnvironmentVariable("HAVEN_NEW_PASSWORD") is { Length: > 0 } password)
        {
            return password;
        }

        return PasswordSource.AskNew();
    }
}
