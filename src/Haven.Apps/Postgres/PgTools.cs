// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Haven.Apps.Postgres;

/// <summary>
/// Finds pg_dump, pg_dumpall, pg_restore, psql and pg_basebackup of a usable major version. HAVEN_PG_BINDIR, when
/// set, is the only place looked at; otherwise Debian's /usr/lib/postgresql/N/bin folders and PATH,
/// newest major first (pg_dump refuses servers newer than itself, while a newer pg_dump reads any older server).
/// </summary>
public sealed partial class PgTools
{
    /// <summary>The environment variable that pins the folder holding the PostgreSQL client programs.</summary>
    public const string BinDirectoryVariable = "HAVEN_PG_BINDIR";

    private const string DebianVersionsRoot = "/usr/lib/postgresql";

    private readonly Func<string, string?> _environment;

    public PgTools(Func<string, string?> environment)
    {
        _environment = environment;
    }

    /// <summary>
    /// The newest <paramref name="name"/> whose major version is at least <paramref name="minimumMajor"/>,
    /// preferring the folder of <paramref name="sibling"/> so that a set of tools comes from one installation.
    /// </summary>
    public async Task<PgProgram> FindAsync(string name, int minimumMajor, PgProgram? sibling, CancellationToken cancellationToken)
    {
        var candidates = new List<PgProgram>();
        foreach (string path in CandidatePaths(name, sibling).Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(path) && await ProbeAsync(name, path, cancellationToken).ConfigureAwait(false) is { } program)
            {
                if (sibling is not null && program.Directory == sibling.Directory && program.Major >= minimumMajor)
                {
                    return program;
                }

                candidates.Add(program);
            }
        }

        if (candidates.Count == 0)
        {
            throw new PostgresBackupException(PostgresBackupError.ToolMissing,
                $"{name} is not installed (looked in {Searched()}): install the PostgreSQL client programs of major version {minimumMajor} or newer, " +
                $"e.g. 'apt-get install postgresql-client-{minimumMajor}' on Debian or Ubuntu, or set {BinDirectoryVariable} to the folder that holds {name}");
        }

        return Choose(candidates, minimumMajor);
    }

    /// <summary>The newest candidate if it is new enough, else an error naming what was found and what is needed.</summary>
    public static PgProgram Choose(IReadOnlyList<PgProgram> candidates, int minimumMajor)
    {
        var newest = candidates.MaxBy(candidate => candidate.Major)!;
        return newest.Major >= minimumMajor
            ? newest
            : throw new PostgresBackupException(PostgresBackupError.ToolTooOld,
                $"{newest.Name} {newest.Version} ({newest.Path}) is older than PostgreSQL {minimumMajor}, which it would have to read; " +
                $"install the client programs of major version {minimumMajor} or newer (e.g. 'apt-get install postgresql-client-{minimumMajor}') " +
                $"or set {BinDirectoryVariable} to their folder. Nothing was done");
    }

    /// <summary>
    /// Honours a --pg-bin option: <paramref name="binDirectory"/>, when given, stands for
    /// <see cref="BinDirectoryVariable"/> in <paramref name="environment"/>.
    /// </summary>
    public static Func<string, string?> WithBinDirectory(Func<string, string?> environment, string? binDirectory) =>
        binDirectory is null ? environment : name => name == BinDirectoryVariable ? binDirectory : environment(name);

    /// <summary>Asks the program at <paramref name="path"/> for its version; null when it does not run or does not say.</summary>
    public static async Task<PgProgram?> ProbeAsync(string name, string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0 && ParseVersion(output) is { } version ? new PgProgram(name, path, version.Major, version.Version) : null;
    }

    /// <summary>The major version in a "--version" line such as "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".</summary>
    public static (int Major, string Version)? ParseVersion(string line)
    {
        var match = VersionPattern().Match(line);
        return match.Success ? (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), match.Groups[1].Value) : null;
    }

    private IEnumerable<string> CandidatePaths(string name, PgProgram? sibling)
    {
        if (_environment(BinDirectoryVariable) is { Length: > 0 } pinned)
        {
            yield return Path.Combine(pinned, name);
            yield break;
        }

        if (sibling is not null)
        {
            yield return Path.Combine(sibling.Directory, name);
        }

        if (Directory.Exists(DebianVersionsRoot))
        {
            foreach (string folder in Directory.GetDirectories(DebianVersionsRoot).OrderByDescending(folder => int.TryParse(Path.GetFileName(folder), out int major) ? major : 0))
            {
                yield return Path.Combine(folder, "bin", name);
            }
        }

        foreach (string folder in (_environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(folder, name);
        }
    }

    private string Searched() =>
        _environment(BinDirectoryVariable) is { Length: > 0 } pinned ? $"{BinDirectoryVariable}={pinned}" : $"{DebianVersionsRoot}/*/bin and PATH";

    [GeneratedRegex(@"\(PostgreSQL\) ((\d+)[^\s]*)")]
    private static partial Regex VersionPattern();
}
