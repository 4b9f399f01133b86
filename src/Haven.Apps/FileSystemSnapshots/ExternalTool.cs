// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>Runs a volume tool (btrfs, lvcreate, mount, ...) to its end and returns what it printed; a failure throws with its stderr.</summary>
internal static class ExternalTool
{
    public static async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // LVM tools complain about every inherited descriptor; they are not leaks of ours that matter to them.
        start.Environment["LVM_SUPPRESS_FD_WARNINGS"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FileSystemSnapshotException($"cannot start {command[0]}");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new FileSystemSnapshotException($"cannot run {command[0]}: {error.Message}; install it (Debian: btrfs-progs, lvm2, mount)", error);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Volume tools are short; let this one finish so that whatever it created is known and can be removed.
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            string output = await stdout.ConfigureAwait(false);
            string errors = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new FileSystemSnapshotException($"'{string.Join(' ', command)}' failed with exit code {process.ExitCode}: {(errors.Length > 0 ? errors : "no message")}");
            }

            return output;
        }
    }
}
