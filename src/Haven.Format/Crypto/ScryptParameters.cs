// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Crypto;

/// <summary>
/// scrypt cost parameters of a key file, validated as simple-scrypt 1.3.0 (used by restic 0.14) does,
/// plus the power-of-two N that scrypt itself needs.
/// </summary>
public sealed record ScryptParameters
{
    private const long MaxInt = int.MaxValue;

    public ScryptParameters(int N, int R, int P)
    {
        if (N <= 1 || (N & (N - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(N), N, "scrypt N must be a power of two greater than 1");
        }

        if (R < 1 || P < 1)
        {
            throw new ArgumentOutOfRangeException(R < 1 ? nameof(R) : nameof(P), "scrypt r and p must be at least 1");
        }

        if ((long)R * P >= 1L << 30 || R > MaxInt / 128 / P || R > MaxInt / 256 || N > MaxInt / 128 / R)
        {
            throw new ArgumentOutOfRangeException(nameof(R), $"scrypt parameters N={N}, r={R}, p={P} are too large");
        }

        this.N = N;
        this.R = R;
        this.P = P;
    }

    /// <summary>N=32768 (32 MiB with r=8), as restic 0.14 calibrates under its 60 MiB limit.</summary>
    public static ScryptParameters Default { get; } = new(32768, 8, 1);

    public int N { get; }

    public int R { get; }

    public int P { get; }

    /// <summary>
    /// Times one derivation with p=1 and grows p so that the p lanes cost about <paramref name="target"/> of one core
    /// (restic's strength); derivation runs the lanes on all cores, so it takes about target / cores of wall time.
    /// </summary>
    public static ScryptParameters Calibrate(TimeSpan target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Span<byte> salt = stackalloc byte[KeyDerivation.SaltSize];
        long start = time.GetTimestamp();
        KeyDerivation.Derive("calibration", salt, Default);
        TimeSpan once = time.GetElapsedTime(start);
        if (once <= TimeSpan.Zero)
        {
            return Default;
        }

        long p = target.Ticks / once.Ticks;
        int maxP = (int)(MaxInt / 128 / Default.R);
        return new ScryptParameters(Default.N, Default.R, (int)Math.Clamp(p, 1, maxP));
    }

    public void Deconstruct(out int n, out int r, out int p)
    {
        n = N;
        r = R;
        p = P;
    }
}
