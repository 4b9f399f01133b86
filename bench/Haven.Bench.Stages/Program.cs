// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Haven.Bench.Stages;
using Haven.Format.Compression;

// In process (no generated project to restore and build) and short: enough for MB/s to a few percent.
var config = ManualConfig.CreateEmpty()
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddLogger(args.Contains("--verbose") ? ConsoleLogger.Default : NullLogger.Instance)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "haven-bench-stages"))
    .WithOptions(ConfigOptions.DisableLogFile);
var summary = BenchmarkRunner.Run<StageBenchmarks>(config);
var wallMeans = summary.Reports.ToDictionary(
    report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
    report => report.ResultStatistics?.Mean);

// BenchmarkDotNet times the wall clock, which on a shared machine counts other people's work.
// The same methods timed by the process's CPU time give the rate of one core we actually had,
// the way `openssl speed` reports by default (user CPU time).
var stages = new StageBenchmarks();
stages.Setup();
long bytes = StageBenchmarks.SampleLength;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample: {bytes} bytes in {StageBenchmarks.PieceSize >> 20} MiB pieces; zstd: {(Zstd.IsNative ? "system libzstd" : "managed ZstdSharp")}"));
foreach (var method in typeof(StageBenchmarks).GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
{
    string name = method.GetCustomAttribute<BenchmarkAttribute>()!.Description ?? method.Name;
    var cpuRates = new List<double>();
    for (int run = 0; run < 8; run++)
    {
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        method.Invoke(stages, null);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        if (run >= 3)
        {
            cpuRates.Add(bytes / Math.Max(cpu.TotalSeconds, 1e-6) / 1e6);
        }
    }

    cpuRates.Sort();
    double? meanNs = wallMeans.GetValueOrDefault(method.Name);
    string wall = meanNs is null ? "failed" : string.Create(CultureInfo.InvariantCulture, $"{bytes / (meanNs.Value / 1e9) / 1e6:F0}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage\t{name}\t{wall}\t{cpuRates[cpuRates.Count / 2]:F0}"));
}
