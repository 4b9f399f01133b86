// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Reflection;

namespace Haven.Cli.Tests;

/// <summary>Dependencies point one way: CLI → engines → repository → storage and format.</summary>
public sealed class ArchitectureTests
{
    private static HashSet<string> HavenReferencesOf(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Haven.", StringComparison.Ordinal) || n == "haven")
            .ToHashSet();

    [Fact]
    public void Format_references_no_other_Haven_project()
    {
        Assert.Empty(HavenReferencesOf("Haven.Format"));
    }

    [Fact]
    public void Storage_knows_only_the_format()
    {
        Assert.Equal(["Haven.Format"], HavenReferencesOf("Haven.Storage"));
    }

    [Fact]
    public void Repository_knows_storage_and_format_but_no_engine()
    {
        Assert.Equal(["Haven.Format", "Haven.Storage"], HavenReferencesOf("Haven.Repository").Order());
    }

    [Fact]
    public void Engines_do_not_know_the_cli()
    {
        var references = HavenReferencesOf("Haven.Backup");
        Assert.Contains("Haven.Repository", references);
        Assert.Subset(new HashSet<string> { "Haven.Format", "Haven.Repository", "Haven.Storage" }, references);
    }

    [Fact]
    public void Server_knows_only_storage_and_format()
    {
        Assert.Equal(["Haven.Format", "Haven.Storage"], HavenReferencesOf("Haven.Server").Order());
    }
}
