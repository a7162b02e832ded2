using System.Globalization;
using FaceGallery.SearchBench;

// dotnet run -c Release --project tests/FaceGallery.SearchBench -- search-scale [options]   (docs/benchmarks.md)
if (args is not ["search-scale", ..])
{
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

var settings = BenchSettings.Parse(args[1..]);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var calibration = DlibCalibration.Load(Path.Combine(AppContext.BaseDirectory, "data", "dlib"));
var identities = new ClusteredIdentities(calibration, settings.Seed);
var (same, different) = identities.Describe(5000);
Console.Error.WriteLine("real dlib, same person:       " + calibration.SamePerson);
Console.Error.WriteLine("synthetic, same identity:     " + same);
Console.Error.WriteLine("real dlib, different people:  " + calibration.DifferentPeople);
Console.Error.WriteLine("synthetic, different:         " + different);
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sigma_between {identities.BetweenSigma:F4}, sigma_within {identities.WithinSigma:F4}, covariance shrinkage alpha {identities.Shrinkage:F3}"));

var bench = new SearchScaleBench(settings, identities, Console.Error);
var results = new List<ScaleResult>();
foreach (var size in settings.Sizes)
{
    results.Add(await bench.RunAsync(size, cancel.Token));
    Console.Error.WriteLine(ScaleReport.Markdown(settings, results));
}

Console.WriteLine(ScaleReport.Markdown(settings, results));
return 0;
