// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Haven.Testing;

/// <summary>
/// A single-node Ceph cluster with its S3 gateway (radosgw) on loopback, started by
/// tests/services/ceph-up.sh once per test run and shared by every test assembly of that run: the
/// first process to ask starts it under /tmp/haven-tests/ceph-PARENT (PARENT being the `dotnet
/// test` process), later ones find it running. A watchdog stops it when that parent exits. Each
/// test makes its own bucket. <see cref="StartGatewayAsync"/> starts a private extra gateway that a
/// fault test may stop and kill without disturbing the others.
/// </summary>
public sealed class CephCluster
{
    public const string AccessKey = "HAVENKEY";
    public const string SecretKey = "HAVENSECRET";

    private static readonly SemaphoreSlim s_gate = new(1);
    private static CephCluster? s_shared;
    private static int s_buckets;

    private CephCluster(string directory, int gatewayPort)
    {
        Directory = directory;
        Endpoint = new Uri($"http://127.0.0.1:{gatewayPort}");
    }

    /// <summary>The cluster's folder (ceph.conf, run/, log/).</summary>
    public string Directory { get; }

    /// <summary>The shared gateway, http://127.0.0.1:PORT.</summary>
    public Uri Endpoint { get; }

    /// <summary>The AWS variables restic and haven read, with the credentials of the test user.</summary>
    public static IReadOnlyDictionary<string, string?> AwsEnvironment { get; } = new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_DEFAULT_REGION"] = null,
        ["AWS_REGION"] = null,
        ["AWS_PROFILE"] = null,
    };

    /// <summary>The running cluster of this test run, started when nobody has started it yet (about 17 s).</summary>
    public static async Task<CephCluster> GetAsync(CancellationToken cancellationToken)
    {
        await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return s_shared ??= await StartOrJoinAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucketName(string purpose) =>
        $"{purpose}-{Interlocked.Increment(ref s_buckets)}-{Guid.NewGuid():N}".ToLowerInvariant()[..Math.Min(63, purpose.Length + 28)];

    /// <summary>An SDK client for the gateway at <paramref name="endpoint"/> (the shared one when null), set up as components.md §1a says.</summary>
    public AmazonS3Client CreateClient(Uri? endpoint = null) => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = (endpoint ?? Endpoint).ToString(),
        ForcePathStyle = true,
        UseHttp = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task CreateBucketAsync(string bucket, bool objectLock, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = objectLock ? true : null }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts one more radosgw on its own port, for a test that stops or kills it; returns its port and pid file.</summary>
    public async Task<(int Port, string PidFile)> StartGatewayAsync(int? port, CancellationToken cancellationToken)
    {
        int p = port ?? LoopbackPort.Free();
        string pidFile = Path.Combine(Directory, "run", $"rgw-{p}.pid");
        File.Delete(pidFile);
        await ProcessRunner.RunCheckedAsync("radosgw", [
            "-c", Path.Combine(Directory, "ceph.conf"), "-n", "client.rgw.a",
            "--rgw-frontends", $"beast endpoint=127.0.0.1:{p}",
            "--pid-file", pidFile,
            "--admin-socket", Path.Combine(Directory, "run", $"rgw-{p}.asok"),
            "--log-file", Path.Combine(Directory, "log", $"rgw-{p}.log"),
        ], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken).ConfigureAwait(false);
        await WaitForGatewayAsync(p, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return (p, pidFile);
    }

    private static async Task<CephCluster> StartOrJoinAsync(CancellationToken cancellationToken)
    {
        int parent = ParentProcessId();
        string root = System.IO.Directory.CreateDirectory("/tmp/haven-tests").FullName;
        string directory = Path.Combine(root, $"ceph-{parent}");
        string portFile = Path.Combine(directory, "rgw-port");
        using var lockFile = await LockAsync(Path.Combine(root, "ceph.lock"), cancellationToken).ConfigureAwait(false);
        if (File.Exists(portFile) && int.TryParse(await File.ReadAllTextAsync(portFile, cancellationToken).ConfigureAwait(false), out int running) && await AnswersAsync(running).ConfigureAwait(false))
        {
            return new CephCluster(directory, running);
        }

        int gateway = LoopbackPort.Free();
        int monitor = LoopbackPort.Free();
        string scripts = Path.Combine(SolutionRoot.Path, "tests", "services");
        await ProcessRunner.RunCheckedAsync(Path.Combine(scripts, "ceph-down.sh"), [directory], null, cancellationToken).ConfigureAwait(false);
        await ProcessRunner.RunCheckedAsync(Path.Combine(scripts, "ceph-up.sh"), [directory, gateway.ToString(), monitor.ToString()],
            new ProcessOptions { Timeout = TimeSpan.FromSeconds(120) }, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(portFile, gateway.ToString(), cancellationToken).ConfigureAwait(false);
        // The cluster outlives this process (other assemblies of the run use it) and ends with the run.
        await ProcessRunner.RunCheckedAsync("bash", ["-c",
            $"setsid bash -c 'while kill -0 {parent} 2>/dev/null; do sleep 1; done; exec \"$0\" \"$1\"' '{Path.Combine(scripts, "ceph-down.sh")}' '{directory}' </dev/null >/dev/null 2>&1 &"],
            null, cancellationToken).ConfigureAwait(false);
        return new CephCluster(directory, gateway);
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another test process is starting the cluster: wait for it.
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WaitForGatewayAsync(int port, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await AnswersAsync(port).ConfigureAwait(false))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"radosgw did not answer on 127.0.0.1:{port} within {deadline}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int ParentProcessId()
    {
        // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        string stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
