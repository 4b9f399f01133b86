// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres;

/// <summary>An installed PostgreSQL client program and the version it reports ("pg_dump (PostgreSQL) 15.18 ...").</summary>
public sealed record PgProgram(string Name, string Path, int Major, string Version)
{
    /// <summary>The folder it lives in, where its sibling tools (pg_dumpall beside pg_dump) are looked for first.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;
}
