// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Reflection;

namespace Haven.Testing;

/// <summary>The checkout the tests were built from: the folder holding Haven.slnx.</summary>
public static class SolutionRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    private static string Find()
    {
        // Walk up from the test binaries (artifacts/ normally lives inside the checkout) ...
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Haven.slnx")))
            {
                return dir.FullName;
            }
        }

        // ... and when ArtifactsPath points elsewhere, use the folder recorded at build time.
        string? recorded = typeof(SolutionRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "HavenSolutionRoot")?.Value;
        if (recorded is not null && File.Exists(System.IO.Path.Combine(recorded, "Haven.slnx")))
        {
            return System.IO.Path.GetFullPath(recorded);
        }

        throw new InvalidOperationException(
            $"cannot find Haven.slnx above {AppContext.BaseDirectory} or at the build-time root '{recorded}'");
    }
}
