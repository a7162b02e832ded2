namespace FaceGallery.Clustering;

/// <summary>
/// Every membership statement, with positional parameters. The schema itself is the embedded
/// <c>Sql/membership.sql</c>. Silo rows are keyed by ($1 cluster, $2 address, $3 port, $4 generation).
/// </summary>
internal static class MembershipSql
{
    public const string SchemaResource = "FaceGallery.Clustering.Sql.membership.sql";

    /// <summary>Columns of a silo row in the order <see cref="MembershipRows.ReadEntry"/> expects.</summary>
    private const string SiloColumns =
        "s.address, s.port, s.generation, s.silo_name, s.host_name, s.status, s.proxy_port, s.role_name, " +
        "s.update_zone, s.fault_zone, s.suspect_times, s.start_time, s.i_am_alive_time, s.etag";

    // $1 cluster, $2 etag.
    public const string InitVersion =
        "INSERT INTO cluster_membership_versions (cluster_id, version, etag) VALUES ($1, 0, $2) " +
        "ON CONFLICT (cluster_id) DO NOTHING";

    // Row lock on the version row serialises every membership change of one cluster.
    public const string LockVersion =
        "SELECT version, etag FROM cluster_membership_versions WHERE cluster_id = $1 FOR UPDATE";

    // $1 cluster, $2 new version, $3 new etag.
    public const string AdvanceVersion =
        "UPDATE cluster_membership_versions SET version = $2, etag = $3, updated_at = now() WHERE cluster_id = $1";

    // $5.. $16 the row's values, see MembershipRows.AddRowValues.
    public const string InsertSilo =
        "INSERT INTO cluster_membership_silos (cluster_id, address, port, generation, silo_name, host_name, status, " +
        "proxy_port, role_name, update_zone, fault_zone, suspect_times, start_time, i_am_alive_time, last_update_at, etag) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) " +
        "ON CONFLICT (cluster_id, address, port, generation) DO NOTHING";

    // $17 the row etag the writer read. The heartbeat columns only move forward: a vote written from
    // a read taken before the latest heartbeat must not roll that heartbeat back.
    public const string UpdateSilo =
        "UPDATE cluster_membership_silos SET silo_name = $5, host_name = $6, status = $7, proxy_port = $8, " +
        "role_name = $9, update_zone = $10, fault_zone = $11, suspect_times = $12, start_time = $13, " +
        "i_am_alive_time = greatest(i_am_alive_time, $14), last_update_at = greatest(last_update_at, $15), etag = $16 " +
        "WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4 AND etag = $17";

    // $5 heartbeat time. Leaves the row etag and the table version alone.
    public const string UpdateIAmAlive =
        "UPDATE cluster_membership_silos SET i_am_alive_time = $5, last_update_at = greatest(last_update_at, $5) " +
        "WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4";

    // One statement, hence one snapshot: the version and the rows are read atomically.
    public const string ReadAll =
        "SELECT v.version, v.etag, " + SiloColumns + " FROM cluster_membership_versions v " +
        "LEFT JOIN cluster_membership_silos s ON s.cluster_id = v.cluster_id WHERE v.cluster_id = $1";

    public const string ReadRow =
        "SELECT v.version, v.etag, " + SiloColumns + " FROM cluster_membership_versions v " +
        "LEFT JOIN cluster_membership_silos s ON s.cluster_id = v.cluster_id " +
        "AND s.address = $2 AND s.port = $3 AND s.generation = $4 WHERE v.cluster_id = $1";

    // $2 cut-off: dead rows whose latest start, heartbeat or vote is older go.
    public const string DeleteDefunct =
        "DELETE FROM cluster_membership_silos WHERE cluster_id = $1 AND status = 'Dead' AND last_update_at < $2";

    // Silo rows follow through ON DELETE CASCADE.
    public const string DeleteCluster =
        "DELETE FROM cluster_membership_versions WHERE cluster_id = $1";

    public const string ActiveGateways =
        "SELECT address, proxy_port, generation FROM cluster_membership_silos " +
        "WHERE cluster_id = $1 AND status = 'Active' AND proxy_port > 0";
}
