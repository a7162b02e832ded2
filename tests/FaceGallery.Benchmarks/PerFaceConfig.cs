using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FaceGallery.Inference.Onnx;

namespace FaceGallery.Benchmarks;

/// <summary>Adds ms/face and achieved GFLOP/s next to BenchmarkDotNet's mean time.</summary>
public sealed class PerFaceConfig : ManualConfig
{
    public PerFaceConfig()
    {
        AddColumn(new DerivedColumn("ms/face", (c, mean) => Items(c) is { } n and > 0 ? mean / n / 1e6 : double.NaN));
        AddColumn(new DerivedColumn("GFLOP/s", (c, mean) => Flops(c) / mean));
    }

    // The face network's cost as its build recorded it in the manifest.
    private static readonly Lazy<long> MultiplyAddsPerFace = new(() =>
    {
        var manifest = ModelManifest.Load(ModelLocator.ManifestPath(ModelLocator.FindModelsDirectory(null), "dlib-resnet-v1"));
        return manifest.Extra!["cost"].GetProperty("multiplyAddsPerFace").GetInt64();
    });

    public static long MultiplyAddsPerFaceValue => MultiplyAddsPerFace.Value;

    private static int? Items(BenchmarkCase c) =>
        c.Parameters.Items.FirstOrDefault(p => p.Name is "Batch")?.Value as int?;

    // FLOPs per invocation: 2 per multiply-add. Divided by nanoseconds this is GFLOP/s.
    private static double Flops(BenchmarkCase c)
    {
        if (c.Parameters.Items.FirstOrDefault(p => p.Name is "N")?.Value is int n)
        {
            return 2.0 * n * n * n;
        }

        return Items(c) is { } batch ? 2.0 * MultiplyAddsPerFace.Value * batch : double.NaN;
    }

    private sealed class DerivedColumn(string name, Func<BenchmarkCase, double, double> compute) : IColumn
    {
        public string Id => name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => name == "ms/face" ? "Mean time divided by the batch size" : "Floating-point operations per second achieved";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is null)
            {
                return "-";
            }

            var value = compute(benchmarkCase, mean.Value);
            return double.IsNaN(value) ? "-" : value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
