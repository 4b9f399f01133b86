// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Retention;

/// <summary>
/// What the snapshots of one group share. A criterion that is not grouped on is empty (host "")
/// or null (paths, tags), as in restic's JSON; so is a snapshot without paths or tags.
/// </summary>
public sealed record SnapshotGroupKey(string Hostname, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Tags)
{
    /// <summary>restic's group header: "(host [h], paths [/a, /b], tags [x])", naming only what is grouped on.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Hostname.Length > 0)
        {
            parts.Add($"host [{Hostname}]");
        }

        if (Paths is not null)
        {
            parts.Add($"paths [{string.Join(", ", Paths)}]");
        }

        if (Tags is not null)
        {
            parts.Add($"tags [{string.Join(", ", Tags)}]");
        }

        return "(" + string.Join(", ", parts) + ")";
    }

    /// <summary>An unambiguous text for equality and ordering (names may hold any character but NUL).</summary>
    public override string ToString() =>
        Hostname + "\0" + (Paths is null ? "-" : "+" + string.Join("\u0001", Paths)) + "\0" + (Tags is null ? "-" : "+" + string.Join("\u0001", Tags));
}
