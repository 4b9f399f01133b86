// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text;
using Haven.Storage.Sftp;

namespace Haven.Storage.Tests.Sftp;

/// <summary>Reading OpenSSH known_hosts files: plain, bracketed, wildcard, negated, hashed and revoked entries.</summary>
public sealed class KnownHostsTests
{
    private static readonly byte[] s_key = Blob("ssh-ed25519", 1);
    private static readonly byte[] s_otherKey = Blob("ssh-ed25519", 2);
    private static readonly byte[] s_rsaKey = Blob("ssh-rsa", 3);

    private static byte[] Blob(string type, byte fill)
    {
        byte[] name = Encoding.ASCII.GetBytes(type);
        byte[] blob = new byte[4 + name.Length + 32];
        blob[3] = (byte)name.Length;
        name.CopyTo(blob, 4);
        blob.AsSpan(4 + name.Length).Fill(fill);
        return blob;
    }

    private static string Line(string hosts, byte[] key) => $"{hosts} {KnownHosts.KeyTypeOf(key)} {Convert.ToBase64String(key)} comment";

    private static HostKeyVerdict Verdict(string host, int port, byte[] key, params string[] lines) =>
        KnownHosts.Parse("known_hosts", lines).Check(host, port, key).Verdict;

    [Fact]
    public void Port_22_hosts_are_listed_bare_and_others_in_brackets()
    {
        Assert.Equal("example.org", KnownHosts.HostName("example.org", 22));
        Assert.Equal("[example.org]:2222", KnownHosts.HostName("example.org", 2222));
        Assert.Equal(HostKeyVerdict.Known, Verdict("example.org", 22, s_key, Line("example.org", s_key)));
        Assert.Equal(HostKeyVerdict.Unknown, Verdict("example.org", 2222, s_key, Line("example.org", s_key)));
        Assert.Equal(HostKeyVerdict.Known, Verdict("example.org", 2222, s_key, Line("[example.org]:2222", s_key)));
    }

    [Fact]
    public void Comma_lists_wildcards_and_negations_match_as_in_openssh()
    {
        Assert.Equal(HostKeyVerdict.Known, Verdict("b.example.org", 22, s_key, Line("a.example.org,b.example.org", s_key)));
        Assert.Equal(HostKeyVerdict.Known, Verdict("B.Example.ORG", 22, s_key, Line("*.example.org", s_key)));
        Assert.Equal(HostKeyVerdict.Known, Verdict("host7", 22, s_key, Line("host?", s_key)));
        Assert.Equal(HostKeyVerdict.Unknown, Verdict("host17", 22, s_key, Line("host?", s_key)));
        Assert.Equal(HostKeyVerdict.Unknown, Verdict("bad.example.org", 22, s_key, Line("*.example.org,!bad.example.org", s_key)));
    }

    [Fact]
    public void Hashed_names_match_by_hmac_sha1_of_the_name()
    {
        byte[] salt = RandomNumberGenerator.GetBytes(20);
        string hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[10.0.0.1]:2200")))}";

        Assert.Equal(HostKeyVerdict.Known, Verdict("10.0.0.1", 2200, s_key, Line(hashed, s_key)));
        Assert.Equal(HostKeyVerdict.Unknown, Verdict("10.0.0.1", 22, s_key, Line(hashed, s_key)));
    }

    [Fact]
    public void Another_key_of_the_same_type_is_a_change_but_another_type_is_unknown()
    {
        var hosts = KnownHosts.Parse("kh", ["# header", "", Line("srv", s_otherKey)]);

        var check = hosts.Check("srv", 22, s_key);
        Assert.Equal(HostKeyVerdict.Changed, check.Verdict);
        Assert.Equal(3, check.Entry!.LineNumber);
        Assert.Equal(HostKeyVerdict.Unknown, hosts.Check("srv", 22, s_rsaKey).Verdict);
        Assert.Equal(["ssh-ed25519"], hosts.KeyTypesFor("srv", 22));
    }

    [Fact]
    public void Any_matching_line_with_the_key_wins_over_a_stale_one()
    {
        Assert.Equal(HostKeyVerdict.Known, Verdict("srv", 22, s_key, Line("srv", s_otherKey), Line("srv", s_key)));
    }

    [Fact]
    public void Revoked_key_is_refused_even_when_also_listed()
    {
        Assert.Equal(HostKeyVerdict.Revoked, Verdict("srv", 22, s_key, Line("srv", s_key), "@revoked " + Line("*", s_key)));
    }

    [Fact]
    public void Cert_authority_and_malformed_lines_are_ignored()
    {
        Assert.Equal(HostKeyVerdict.Unknown, Verdict("srv", 22, s_key, "@cert-authority " + Line("srv", s_key), "srv ssh-ed25519 !!notbase64!!", "srv"));
    }

    [Fact]
    public void Fingerprint_is_openssh_sha256_form()
    {
        string expected = "SHA256:" + Convert.ToBase64String(SHA256.HashData(s_key)).TrimEnd('=');
        Assert.Equal(expected, KnownHosts.Fingerprint(s_key));
        Assert.DoesNotContain("=", expected[7..], StringComparison.Ordinal);
    }
}
