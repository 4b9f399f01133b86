// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using Haven.Format.Chunking;

// Chunker throughput on 64 MiB of seeded random data, fed in 1 MiB reads like a file reader would.
const int Size = 64 * 1024 * 1024;
const int ReadSize = 1024 * 1024;
var data = new byte[Size];
new Random(42).NextBytes(data);
var chunker = new Chunker(Polynomial.Parse("3da3358b4dc173"));

for (int round = 0; round < 5; round++)
{
    chunker.Reset();
    int chunks = 0;
    TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (int offset = 0; offset < Size;)
    {
        int length = Math.Min(ReadSize, Size - offset);
        int cut = chunker.FindCut(data.AsSpan(offset, length));
        if (cut >= 0)
        {
            chunks++;
            offset += cut;
        }
        else
        {
            offset += length;
        }
    }

    watch.Stop();
    TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

    // The machine may be shared: CPU time shows the speed of one core, wall time what we got.
    Console.WriteLine(
        $"round {round}: {chunks + 1} chunks, {Size / cpu.TotalSeconds / 1e6:F0} MB/s per CPU second, "
        + $"{Size / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s wall");
}
