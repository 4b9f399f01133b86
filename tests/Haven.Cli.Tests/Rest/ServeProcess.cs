// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.RegularExpressions;
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>
/// `haven serve` as a real process on a free loopback port (port 0; the address is read from its
/// first line), which a test can kill and start again on the same port.
/// </summary>
public sealed partial class ServeProcess : IDisposable
{
    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(60);

    private readonly HavenCli _haven;
    private readonly string[] _options;
    private RunningProcess _process;

    public ServeProcess(TempDirectory temp, string root, params string[] options)
    {
        _haven = new HavenCli(null, null, temp.CreateSubdirectory("serve-home-" + Guid.NewGuid().ToString("N")));
        _options = ["--path", root, .. options];
        _process = Start("127.0.0.1:0");
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>What the server logged on stderr so far (refused requests, failures).</summary>
    public string Log => _process.CurrentStderr;

    /// <summary>The repository URL as restic and haven spell it, optionally with credentials and a sub-path.</summary>
    public string Url(string repository = "", string? credentials = null)
    {
        var builder = new UriBuilder(Address);
        string url = builder.Uri.AbsoluteUri + repository;
        return credentials is null ? "rest:" + url : "rest:" + url.Replace("://", $"://{credentials}@", StringComparison.Ordinal);
    }

    /// <summary>SIGKILL, as a crash or power cut would stop it.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExitAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Starts it again on the port it had.</summary>
    public void Restart()
    {
        _process.Dispose();
        _process = Start($"127.0.0.1:{Address.Port}");
    }

    public void Dispose() => _process.Dispose();

    private RunningProcess Start(string listen)
    {
        var process = _haven.Start(["serve", "--listen", listen, .. _options]);
        Match match = Match.Empty;
        Wait.Until(
            () => (match = ServingLine().Match(process.CurrentStdout)).Success || process.HasExited,
            s_startDeadline,
            $"haven serve to print its address\n{process.CurrentStderr}");
        if (!match.Success)
        {
            throw new InvalidOperationException($"haven serve exited before serving:\n{process.CurrentStdout}{process.CurrentStderr}");
        }

        Address = new Uri(match.Groups[1].Value);
        return process;
    }

    [GeneratedRegex(@"^serving .* at (https?://\S+/)", RegexOptions.Multiline)]
    private static partial Regex ServingLine();
}
