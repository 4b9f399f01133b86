// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Crypto;

public class ScryptTests
{
    // RFC 7914 section 12, the two cheap vectors.
    [Theory]
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void Derives_the_rfc7914_vectors(string password, string salt, int n, int r, int p, string expected)
    {
        byte[] derived = KeyDerivation.Derive(password, Encoding.UTF8.GetBytes(salt), new ScryptParameters(n, r, p));
        Assert.Equal(expected, Convert.ToHexStringLower(derived));
    }

    // Haven's own scrypt against BouncyCastle's, on the parameters key files use and a few odd ones.
    [Theory]
    [InlineData("restic", 32768, 8, 1)]
    [InlineData("pässwörd ünicode", 32768, 8, 3)]
    [InlineData("x", 2, 1, 1)]
    [InlineData("", 256, 3, 2)]
    public void Derives_what_bouncycastle_derives(string password, int n, int r, int p)
    {
        byte[] salt = new byte[KeyDerivation.SaltSize];
        new Random(n + r + p).NextBytes(salt);
        byte[] expected = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(Encoding.UTF8.GetBytes(password), salt, n, r, p, KeyDerivation.OutputSize);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(KeyDerivation.Derive(password, salt, new ScryptParameters(n, r, p))));
    }

    // The lanes on several threads (one V each) give the bytes the one-thread derivation gives.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Parallel_lanes_derive_what_one_thread_derives(int p)
    {
        byte[] salt = new byte[KeyDerivation.SaltSize];
        new Random(p).NextBytes(salt);
        byte[] password = Encoding.UTF8.GetBytes("lanes");
        byte[] sequential = new byte[KeyDerivation.OutputSize];
        byte[] parallel = new byte[KeyDerivation.OutputSize];

        Scrypt.Derive(password, salt, 1024, 8, p, sequential, workers: 1);
        Scrypt.Derive(password, salt, 1024, 8, p, parallel, workers: p);

        Assert.Equal(Convert.ToHexStringLower(sequential), Convert.ToHexStringLower(parallel));
    }

    // Storing every k-th V entry and recomputing the rest gives the bytes of the plain algorithm (one thread, whole V),
    // for every stride and worker count, on random small parameters; k beyond N stores V[0] alone.
    [Fact]
    public void Every_stride_and_worker_count_derive_what_the_whole_v_derives()
    {
        var random = new Random(7914);
        for (int trial = 0; trial < 12; trial++)
        {
            int n = 1 << random.Next(1, 8);
            int r = random.Next(1, 5);
            int p = random.Next(1, 6);
            byte[] password = new byte[random.Next(0, 20)];
            byte[] salt = new byte[random.Next(0, KeyDerivation.SaltSize + 1)];
            random.NextBytes(password);
            random.NextBytes(salt);
            byte[] plain = new byte[KeyDerivation.OutputSize];
            Scrypt.Derive(password, salt, n, r, p, plain, workers: 1, storeEvery: 1);
            Assert.Equal(
                Convert.ToHexStringLower(Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, KeyDerivation.OutputSize)),
                Convert.ToHexStringLower(plain));

            for (int workers = 1; workers <= p + 1; workers++)
            {
                foreach (int storeEvery in new[] { 0, 1, 2, 3, 4, 5, 7, n - 1, n, n + 1 }.Where(k => k >= 0).Distinct())
                {
                    byte[] derived = new byte[KeyDerivation.OutputSize];
                    Scrypt.Derive(password, salt, n, r, p, derived, workers, storeEvery);
                    Assert.True(
                        plain.AsSpan().SequenceEqual(derived),
                        $"N={n} r={r} p={p} workers={workers} storeEvery={storeEvery} derived a different key");
                }
            }
        }
    }

    // Lanes at once (each storing 1/(2m) of V, so costing about 1 + (2m−1)/8 of a plain lane) for the least wall time.
    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(7, 1, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(7, 2, 2)]
    [InlineData(10, 2, 2)]
    [InlineData(10, 8, 5)]
    [InlineData(3, 64, 3)]
    public void Workers_are_chosen_for_the_least_wall_time(int p, int cores, int expected)
    {
        Assert.Equal(expected, Scrypt.Workers(p, cores));
    }

    [Fact]
    public void Default_is_n_32768_r_8_p_1()
    {
        Assert.Equal(new ScryptParameters(32768, 8, 1), ScryptParameters.Default);
    }

    [Theory]
    [InlineData(0, 8, 1)]
    [InlineData(1, 8, 1)]
    [InlineData(1000, 8, 1)]
    [InlineData(1024, 0, 1)]
    [InlineData(1024, 8, 0)]
    [InlineData(1024, 1 << 15, 1 << 15)]
    [InlineData(1 << 30, 8, 1)]
    public void Rejects_parameters_simple_scrypt_rejects(int n, int r, int p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScryptParameters(n, r, p));
    }

    [Fact]
    public void Calibrate_grows_p_to_fill_the_target_time()
    {
        // Every clock reading advances 50 ms, so one derivation appears to take 50 ms.
        var time = new SteppingTimeProvider(TimeSpan.FromMilliseconds(50));

        ScryptParameters calibrated = ScryptParameters.Calibrate(TimeSpan.FromMilliseconds(500), time);

        Assert.Equal(new ScryptParameters(32768, 8, 10), calibrated);
    }

    [Fact]
    public void Calibrate_never_goes_below_p_1()
    {
        var time = new SteppingTimeProvider(TimeSpan.FromSeconds(5));
        Assert.Equal(1, ScryptParameters.Calibrate(TimeSpan.FromMilliseconds(100), time).P);
    }

    [Fact]
    public void The_calibration_clock_counts_the_process_cpu_time()
    {
        // Other tests run in this process at the same time, so the clock is compared with the kernel's
        // own count of the process's CPU time (/proc, 10 ms ticks) over the same stretch, not with zero.
        var clock = ProcessCpuClock.Instance;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan kernelBefore = process.TotalProcessorTime;
        long start = clock.GetTimestamp();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        double sink = 0;
        while (clock.GetElapsedTime(start) < TimeSpan.FromMilliseconds(300))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the CPU clock did not advance while spinning");
            for (int i = 0; i < 100_000; i++)
            {
                sink += Math.Sqrt(i);
            }
        }

        TimeSpan counted = clock.GetElapsedTime(start);
        process.Refresh();
        TimeSpan kernel = process.TotalProcessorTime - kernelBefore;
        Assert.True(sink > 0);
        Assert.InRange((kernel - counted).Duration().TotalMilliseconds, 0, 60);
    }

    private sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now += step.Ticks;
    }
}
