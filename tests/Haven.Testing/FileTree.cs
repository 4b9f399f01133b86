// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.ComponentModel;

namespace Haven.Testing;

/// <summary>
/// C# face of tests/tools/fstree.py: generates the standard tree of every kind of entry (see the
/// script's docstring for its layout) and compares two trees entry by entry.
/// </summary>
public static class FileTree
{
    public static string ScriptPath => Path.Combine(SolutionRoot.Path, "tests", "tools", "fstree.py");

    /// <summary>Fills <paramref name="directory"/> (missing or empty) with the tree for <paramref name="seed"/>.</summary>
    public static void Generate(string directory, int seed = 1, string scale = "small")
    {
        var result = Python(["generate", directory, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scale", scale]);
        if (result.ExitCode != 0)
        {
            throw new ProcessFailedException($"fstree.py generate {directory}", result);
        }
    }

    /// <summary>Runs fstree compare; exit code 0 means identical, 1 means differences (one line each on stdout).</summary>
    public static ProcessResult Compare(string a, string b, params string[] options) =>
        Python(["compare", a, b, .. options]);

    /// <summary>Fails the test with fstree's list of differences unless the trees are identical.</summary>
    public static void AssertIdentical(string a, string b, params string[] options)
    {
        var result = Compare(a, b, options);
        if (result.ExitCode != 0 || !result.Stdout.StartsWith("identical: ", StringComparison.Ordinal))
        {
            Assert.Fail($"trees differ: {a} vs {b} (fstree exit code {result.ExitCode})\n{result.Stdout}{result.Stderr}");
        }
    }

    private static ProcessResult Python(string[] args)
    {
        try
        {
            return ProcessRunner.Run("python3", [ScriptPath, .. args]);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("python3 is not installed: run ./test.sh, which installs it", e);
        }
    }
}
