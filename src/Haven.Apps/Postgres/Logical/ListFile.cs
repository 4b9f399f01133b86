// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>A "pg_restore -L" list file in a private temporary folder, removed on dispose.</summary>
internal sealed class ListFile : IDisposable
{
    private readonly DirectoryInfo _folder;

    public ListFile(IEnumerable<TocEntry> entries)
    {
        // CreateTempSubdirectory makes the folder with mode 0700.
        _folder = Directory.CreateTempSubdirectory("haven-restore-table-");
        Path = System.IO.Path.Combine(_folder.FullName, "list");
        File.WriteAllText(Path, string.Concat(entries.Select(entry => entry.Line + "\n")), ByteText.Encoding);
    }

    public string Path { get; }

    public void Dispose() => _folder.Delete(recursive: true);
}
