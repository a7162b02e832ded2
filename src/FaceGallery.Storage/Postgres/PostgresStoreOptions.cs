using System.ComponentModel.DataAnnotations;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// How the PostgreSQL gallery connects and indexes. <see cref="Dimension"/>, <see cref="HnswM"/> and
/// <see cref="HnswEfConstruction"/> are written into the schema when it is first created; a later
/// start with another <see cref="Dimension"/> is refused.
/// </summary>
public sealed class PostgresStoreOptions
{
    public const string SectionName = "FaceGallery:Postgres";

    /// <summary>Npgsql connection string of the gallery database.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Length of every embedding and descriptor (pgvector's HNSW indexes at most 2000).</summary>
    [Range(1, 2000)]
    public int Dimension { get; set; }

    /// <summary>
    /// HNSW candidate list per search (pgvector's <c>hnsw.ef_search</c>, default there 40); raised to k when k
    /// is larger. 400: on dlib-calibrated clustered 128-d data at 100k identities it gave recall@10 0.978
    /// (ef_construction 64) and the probe's own identity first in 99 % of searches (ef_construction 128),
    /// against 0.890 and 93 % at 100, still 3.3× faster than the exact scan; at 1M with m 32 / ef_construction
    /// 128, recall@10 0.978 and 99 % at 15× the exact scan's speed, where 1000 (pgvector's maximum) bought
    /// 0.993 and 100 % for 2.5× the latency (docs/benchmarks.md "Search at scale").
    /// </summary>
    [Range(1, 1000)]
    public int EfSearch { get; set; } = 400;

    /// <summary>
    /// Tenants whose partition holds fewer descriptors than this are searched exactly (every distance
    /// computed, 100 % recall) instead of through their HNSW index; 0 always uses the index. The size is
    /// PostgreSQL's own estimate (see <see cref="RowEstimateRefreshSeconds"/>), so the switch is approximate.
    /// 10,000: measured in alternation on dlib-calibrated 128-d data at ef_search 400, the exact scan cost
    /// as much as the store's HNSW query up to 10k rows (the planner itself chose a sequential scan there)
    /// and 1.7× its backend CPU at 20k (docs/benchmarks.md "Search at scale").
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ExactBelow { get; set; } = 10_000;

    /// <summary>How long a tenant's row-count estimate is reused before the store reads it again.</summary>
    [Range(0, 86400)]
    public int RowEstimateRefreshSeconds { get; set; } = 30;

    /// <summary>
    /// HNSW graph degree (pgvector's <c>m</c>, default there 16). 32 with <see cref="HnswEfConstruction"/> 128:
    /// at 1M dlib-calibrated identities recall@10 at ef_search 400 rose from 0.836 (16 / 64) to 0.978 and the
    /// own identity came first in 99 % instead of 87 % of searches, for a 2.7× longer build and a 23 % larger
    /// index (docs/benchmarks.md "Search at scale", runs B and E). Applies to galleries created from now on.
    /// </summary>
    [Range(2, 100)]
    public int HnswM { get; set; } = 32;

    /// <summary>HNSW build candidate list (pgvector's <c>ef_construction</c>, default there 64, at least 2·m); see <see cref="HnswM"/>.</summary>
    [Range(4, 1000)]
    public int HnswEfConstruction { get; set; } = 128;

    /// <summary>
    /// Seconds to wait for a new connection (Npgsql's <c>Timeout</c>, default there 15) unless the
    /// connection string sets it. Short, so that with the database down requests fail fast with
    /// 503 storage_unavailable instead of piling up.
    /// </summary>
    [Range(1, 300)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds a gallery statement may run (Npgsql's <c>Command Timeout</c>, default there 30) unless the connection string sets it.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>Timeout for schema changes: index builds outlast Npgsql's 30 s default.</summary>
    [Range(1, 86400)]
    public int DdlCommandTimeoutSeconds { get; set; } = 600;
}
