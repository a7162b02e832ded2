using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- --filter '*' --job short`
// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- cpu-time [SECONDS]` (see CpuTimeProbe)
// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- coreset-cpu-time [SECONDS]` (see SetAggregationCpuTime)
if (args is ["coreset-cpu-time", ..])
{
    FaceGallery.Benchmarks.SetAggregationCpuTime.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

if (args is ["cpu-time", ..])
{
    FaceGallery.Benchmarks.CpuTimeProbe.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FaceGallery.Benchmarks.EmbedderBenchmarks).Assembly).Run(args);
