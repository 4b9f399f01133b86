// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Backup.Filtering;

namespace Haven.Backup.Tests.Filtering;

/// <summary>GlobPattern: restic's exclude and include pattern semantics.</summary>
public sealed class GlobPatternTests
{
    private static readonly string[] s_components = ["a", "b", "ab", "ba", "a.b", "bb", "*", "?", "a*", "*b", "?b", "[ab]", "[^a]", "[a-b]*", "**"];

    private static readonly Gen<string> s_component = Gen.Int[0, 14].Select(i => s_components[i]);

    private static readonly Gen<string> s_pattern =
        Gen.Select(Gen.Bool, s_component.Array[1, 4]).Select((anchored, parts) => (anchored ? "/" : string.Empty) + string.Join('/', parts));

    private static readonly Gen<string[]> s_names = Gen.Int[0, 5].Select(i => s_components[i]).Array[1, 5];

    [Theory]
    [InlineData("*.log", "/var/log/app.log", true)]
    [InlineData("*.log", "/app.log", true)]
    [InlineData("*.log", "/var/log/app.log.1", false)]
    [InlineData("/var/log", "/var/log", true)]
    [InlineData("/var/log", "/srv/var/log", false)]
    [InlineData("var/log", "/srv/var/log", true)]
    [InlineData("/var/*", "/var/cache", true)]
    [InlineData("/var/*", "/var/cache/x", false)]
    [InlineData("dir/*.txt", "/home/u/dir/notes.txt", true)]
    [InlineData("dir/*.txt", "/home/u/dir/sub/notes.txt", false)]
    [InlineData("/home/**/*.txt", "/home/notes.txt", true)]
    [InlineData("/home/**/*.txt", "/home/u/a/b/notes.txt", true)]
    [InlineData("/home/**/*.txt", "/srv/home/notes.txt", false)]
    [InlineData("/home/**", "/home/u/x", true)]
    [InlineData("**", "/anything/at/all", true)]
    [InlineData("cache/", "/u/cache", true)]
    [InlineData("file[0-9].bin", "/x/file7.bin", true)]
    [InlineData("file[0-9].bin", "/x/fileA.bin", false)]
    [InlineData("file[^0-9].bin", "/x/fileA.bin", true)]
    [InlineData("file[^0-9].bin", "/x/file7.bin", false)]
    [InlineData("?.c", "/src/a.c", true)]
    [InlineData("?.c", "/src/ab.c", false)]
    [InlineData("\\*.c", "/src/*.c", true)]
    [InlineData("\\*.c", "/src/a.c", false)]
    [InlineData("a\\[1\\]", "/a[1]", true)]
    [InlineData("[\\]]", "/]", true)]
    [InlineData("*", "/.hidden", true)]
    [InlineData("/", "/etc", false)]
    [InlineData("/", "/etc/passwd", false)]
    public void Matches_follows_restic(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, new GlobPattern(pattern).Matches(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[")]
    [InlineData("a[b")]
    [InlineData("[]")]
    [InlineData("[]a]")]
    [InlineData("[a-]")]
    [InlineData("[-a]")]
    [InlineData("[^]")]
    [InlineData("abc\\")]
    [InlineData("[a\\")]
    public void Invalid_patterns_are_refused_when_parsed(string pattern)
    {
        Assert.Throws<ArgumentException>(() => new GlobPattern(pattern));
    }

    [Theory]
    [InlineData("/home/u/*.txt", "/home", true)]
    [InlineData("/home/u/*.txt", "/home/u", true)]
    [InlineData("/home/u/*.txt", "/srv", false)]
    [InlineData("/home/u/*.txt", "/home/v", false)]
    [InlineData("/home/**/x", "/home/a/b/c", true)]
    [InlineData("*.txt", "/anywhere", true)]
    [InlineData("/a", "/a", false)]
    public void MayMatchBelow_tells_which_folders_can_hold_a_match(string pattern, string directory, bool expected)
    {
        Assert.Equal(expected, new GlobPattern(pattern).MayMatchBelow(directory));
    }

    [Fact]
    public void A_pattern_matches_like_restic_does_at_the_path_or_a_folder_above_it()
    {
        // restic's Match is also true for everything below a matching folder; Haven matches whole
        // paths and relies on walks not entering excluded folders. The two agree on that reading.
        Gen.Select(s_pattern, s_names).Sample((pattern, names) =>
        {
            var glob = new GlobPattern(pattern);
            bool haven = Enumerable.Range(1, names.Length).Any(k => glob.Matches("/" + string.Join('/', names[..k])));
            return haven == ResticPatternReference.Match(pattern, "/" + string.Join('/', names));
        });
    }

    [Fact]
    public void MayMatchBelow_is_true_for_every_folder_above_a_matching_path()
    {
        Gen.Select(s_pattern, s_names, Gen.Int[1, 4]).Sample((pattern, names, depth) =>
        {
            var glob = new GlobPattern(pattern);
            int folders = Math.Min(depth, names.Length - 1);
            string path = "/" + string.Join('/', names);
            return !glob.Matches(path) || folders == 0 || glob.MayMatchBelow("/" + string.Join('/', names[..folders]));
        });
    }
}
