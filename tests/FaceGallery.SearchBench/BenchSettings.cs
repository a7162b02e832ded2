using System.Globalization;

namespace FaceGallery.SearchBench;

/// <summary>Command-line settings of <c>search-scale</c>; see <see cref="Usage"/>.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        search-scale [options]
          --connection CS        server to create the bench databases on (default: env FACEGALLERY_BENCH_PG,
                                 else the dev server 127.0.0.1:55432)
          --sizes 10000,100000   gallery sizes (identities)
          --ef 40,100,200,400    hnsw.ef_search values
          --probes 500           probes per ef_search value (and for the embedded store)
          --exact-probes 50      probes for the PostgreSQL exact scans
          --per-example-probes N probes for the in-memory per-example scan (default: --probes)
          --faces 4              faces per identity (the per-example rows)
          --m 16 --ef-construction 64
          --faces-in-pg-max 100000  largest size whose faces are also COPYed for the per-example SQL scan
          --build-timeout-min 60    give up on an HNSW build after this long (reported, never guessed)
          --compare-ef 400       also run the store's exact scan and its HNSW search at this ef_search in
                                 alternation over the same probes (wall p50/p99, backend CPU per query)
          --seed 1 --keep        keep the databases afterwards (default: drop them)
          --reuse-database NAME  measure a database kept earlier (--keep, same --sizes/--faces/--seed) again:
                                 the gallery is regenerated in memory only, nothing is loaded or built; its
                                 HNSW index must exist under the bench's name (the bench waits while it is still building)
        """;

    public string Connection { get; init; } = Environment.GetEnvironmentVariable("FACEGALLERY_BENCH_PG") is { Length: > 0 } cs
        ? cs
        : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public IReadOnlyList<int> Sizes { get; init; } = [10_000, 100_000];

    public IReadOnlyList<int> EfSearch { get; init; } = [40, 100, 200, 400];

    public int Probes { get; init; } = 500;

    public int ExactProbes { get; init; } = 50;

    public int? PerExampleProbes { get; init; }

    public int Faces { get; init; } = 4;

    public int M { get; init; } = 16;

    public int EfConstruction { get; init; } = 64;

    public int FacesInPostgresMax { get; init; } = 100_000;

    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(60);

    public int Seed { get; init; } = 1;

    public bool Keep { get; init; }

    public int? CompareEfSearch { get; init; }

    public string? ReuseDatabase { get; init; }

    public int K { get; init; } = 10;

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            static int[] Ints(string s) => s.Split(',').Select(Int).ToArray();
            settings = args[i] switch
            {
                "--connection" => settings with { Connection = Next() },
                "--sizes" => settings with { Sizes = Ints(Next()) },
                "--ef" => settings with { EfSearch = Ints(Next()) },
                "--probes" => settings with { Probes = Int(Next()) },
                "--exact-probes" => settings with { ExactProbes = Int(Next()) },
                "--per-example-probes" => settings with { PerExampleProbes = Int(Next()) },
                "--faces" => settings with { Faces = Int(Next()) },
                "--m" => settings with { M = Int(Next()) },
                "--ef-construction" => settings with { EfConstruction = Int(Next()) },
                "--faces-in-pg-max" => settings with { FacesInPostgresMax = Int(Next()) },
                "--build-timeout-min" => settings with { BuildTimeout = TimeSpan.FromMinutes(Int(Next())) },
                "--seed" => settings with { Seed = Int(Next()) },
                "--keep" => settings with { Keep = true },
                "--compare-ef" => settings with { CompareEfSearch = Int(Next()) },
                "--reuse-database" => settings with { ReuseDatabase = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }

        return settings;
    }
}
