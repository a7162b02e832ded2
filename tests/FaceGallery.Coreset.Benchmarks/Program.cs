using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/FaceGallery.Coreset.Benchmarks -- --filter '*'`
BenchmarkSwitcher.FromAssembly(typeof(FaceGallery.Coreset.Benchmarks.SetAggregationBenchmarks).Assembly).Run(args);
