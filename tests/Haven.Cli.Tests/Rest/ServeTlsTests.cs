// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>`haven serve --tls-cert --tls-key` with a self-signed certificate made by openssl.</summary>
public sealed class ServeTlsTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private readonly TempDirectory _temp = new("serve-tls");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Restic_with_cacert_and_haven_with_HAVEN_REST_CA_use_the_https_server_and_others_are_refused()
    {
        string cert = _temp.Combine("cert.pem");
        string key = _temp.Combine("key.pem");
        ProcessRunner.RunChecked("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
        using var serve = new ServeProcess(_temp, _temp.Combine("served"), "--tls-cert", cert, "--tls-key", key);
        Assert.Equal("https", serve.Address.Scheme);
        var restic = new Restic(serve.Url(), Password);
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "over TLS");

        var untrusted = restic.Run("init");
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.Contains("certificate", untrusted.Stderr, StringComparison.Ordinal);
        restic.RunChecked("--cacert", cert, "init");
        restic.RunChecked("--cacert", cert, "backup", source);

        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"), new Dictionary<string, string?> { ["HAVEN_REST_CA"] = cert });
        haven.RunChecked("backup", source);
        Assert.Contains("no errors were found", haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        var havenUntrusted = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home-untrusted")).Run("snapshots");
        Assert.Equal(1, havenUntrusted.ExitCode);
        // An untrusted certificate is not retried: one line, which says what to do.
        string line = Assert.Single(havenUntrusted.Stderr.Trim().Split('\n'));
        Assert.Contains("the server's TLS certificate is not trusted", line, StringComparison.Ordinal);
        Assert.Contains("-o rest.ca=FILE", line, StringComparison.Ordinal);

        // -o rest.ca wins over HAVEN_REST_CA.
        string otherCert = _temp.Combine("other.pem");
        ProcessRunner.RunChecked("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", _temp.Combine("other-key.pem"), "-out", otherCert, "-days", "2", "-subj", "/CN=127.0.0.1"]);
        var wrongEnvironment = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home-option"), new Dictionary<string, string?> { ["HAVEN_REST_CA"] = otherCert });
        Assert.Equal(1, wrongEnvironment.Run("snapshots").ExitCode);
        Assert.Contains("no errors were found", wrongEnvironment.RunChecked("-o", $"rest.ca={cert}", "check").Stdout, StringComparison.Ordinal);
        var check = restic.Run("--cacert", cert, "check", "--read-data");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }
}
