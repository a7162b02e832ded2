using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- --filter '*' --job short`
// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- cpu-time [SECONDS]` (see CpuTimeProbe)
if (args is ["cpu-time", ..])
{
    FaceGallery.Benchmarks.CpuTimeProbe.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FaceGallery.Benchmarks.EmbedderBenchmarks).Assembly).Run(args);
