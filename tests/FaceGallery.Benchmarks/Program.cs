using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/FaceGallery.Benchmarks -- --filter '*' --job short`
BenchmarkSwitcher.FromAssembly(typeof(FaceGallery.Benchmarks.EmbedderBenchmarks).Assembly).Run(args);
