using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Xunit;

namespace FaceGallery.Clustering.Tests;

public sealed class MembershipTableTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTime StartTime = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Initialisation_creates_version_zero_and_is_idempotent()
    {
        await using var table = await OpenTableAsync();
        await table.InitializeMembershipTableAsync(true, CancellationToken.None);

        var data = await table.ReadAllAsync(CancellationToken.None);

        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
        Assert.Empty(data.Members);
    }

    [Fact]
    public async Task Concurrent_initialisation_on_an_empty_database_succeeds_everywhere()
    {
        var connectionString = await database.CreateDatabaseAsync();
        var clusterId = NewClusterId();
        var tables = Enumerable.Range(0, 8).Select(_ => CreateTable(connectionString, clusterId)).ToList();
        try
        {
            await Task.WhenAll(tables.Select(t => t.InitializeMembershipTableAsync(true, CancellationToken.None)));

            var data = await tables[0].ReadAllAsync(CancellationToken.None);
            Assert.Equal(0, data.Version.Version);
        }
        finally
        {
            foreach (var table in tables)
            {
                await table.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Inserted_entry_is_read_back_by_row_and_by_all_with_the_new_version()
    {
        await using var table = await OpenTableAsync();
        var initial = await table.ReadAllAsync(CancellationToken.None);
        var entry = NewEntry(11001);
        entry.SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Loopback, 11999, 7), StartTime.AddTicks(1234567))];

        Assert.True(await table.InsertRowAsync(entry, initial.Version.Next(), CancellationToken.None));

        var row = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        var all = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(1, row.Version.Version);
        Assert.NotEqual(initial.Version.VersionEtag, row.Version.VersionEtag);
        Assert.Equal(row.Version, all.Version);
        var (read, etag) = Assert.Single(row.Members);
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(etag, Assert.Single(all.Members).Item2);
        AssertSameEntry(entry, read);
    }

    [Fact]
    public async Task Reading_an_unknown_silo_returns_the_table_version_and_no_entry()
    {
        await using var table = await OpenTableAsync();
        var inserted = await InsertAsync(table, NewEntry(11002));

        var row = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 11003, 1), CancellationToken.None);

        Assert.Empty(row.Members);
        Assert.Equal(inserted.Version, row.Version);
    }

    [Fact]
    public async Task Duplicate_insert_is_refused_and_leaves_the_table_unchanged()
    {
        await using var table = await OpenTableAsync();
        var entry = NewEntry(11004);
        var before = await InsertAsync(table, entry);

        var duplicate = NewEntry(11004);
        duplicate.SiloAddress = entry.SiloAddress;
        duplicate.SiloName = "impostor";

        Assert.False(await table.InsertRowAsync(duplicate, before.Version.Next(), CancellationToken.None));
        var after = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(entry.SiloName, Assert.Single(after.Members).Item1.SiloName);
    }

    [Fact]
    public async Task Insert_with_a_stale_table_etag_is_refused()
    {
        await using var table = await OpenTableAsync();
        var stale = await table.ReadAllAsync(CancellationToken.None);
        await InsertAsync(table, NewEntry(11005));

        Assert.False(await table.InsertRowAsync(NewEntry(11006), stale.Version.Next(), CancellationToken.None));
        Assert.Single((await table.ReadAllAsync(CancellationToken.None)).Members);
    }

    [Fact]
    public async Task Update_with_a_wrong_row_etag_is_refused_and_changes_nothing()
    {
        await using var table = await OpenTableAsync();
        var entry = NewEntry(11007, SiloStatus.Joining);
        var before = await InsertAsync(table, entry);

        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRowAsync(entry, "not-the-row-etag", before.Version.Next(), CancellationToken.None));

        var after = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task Update_with_a_stale_or_unadvanced_table_version_is_refused()
    {
        await using var table = await OpenTableAsync();
        var entry = NewEntry(11008, SiloStatus.Joining);
        var stale = await InsertAsync(table, entry);
        var etag = stale.Members[0].Item2;
        await InsertAsync(table, NewEntry(11009));
        var current = await table.ReadAllAsync(CancellationToken.None);

        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRowAsync(entry, etag, stale.Version.Next(), CancellationToken.None));
        Assert.False(await table.UpdateRowAsync(entry, etag, current.Version, CancellationToken.None));

        var after = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task Update_of_a_missing_row_is_refused()
    {
        await using var table = await OpenTableAsync();
        var data = await table.ReadAllAsync(CancellationToken.None);

        Assert.False(await table.UpdateRowAsync(NewEntry(11010), "any", data.Version.Next(), CancellationToken.None));
        Assert.Equal(data.Version, (await table.ReadAllAsync(CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Update_replaces_the_entry_and_gives_row_and_table_new_etags()
    {
        await using var table = await OpenTableAsync();
        var entry = NewEntry(11011, SiloStatus.Active);
        var before = await InsertAsync(table, entry);
        var rowEtag = before.Members[0].Item2;

        var voter = SiloAddress.New(IPAddress.Loopback, 11012, 3);
        entry.AddOrUpdateSuspector(voter, StartTime.AddSeconds(5).AddTicks(1), maxVotes: 2);
        entry.Status = SiloStatus.Dead;
        Assert.True(await table.UpdateRowAsync(entry, rowEtag, before.Version.Next(), CancellationToken.None));

        var after = await table.ReadAllAsync(CancellationToken.None);
        var (read, newRowEtag) = Assert.Single(after.Members);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        Assert.NotEqual(rowEtag, newRowEtag);
        AssertSameEntry(entry, read);
        Assert.False(await table.UpdateRowAsync(entry, rowEtag, after.Version.Next(), CancellationToken.None));
    }

    [Fact]
    public async Task Heartbeat_moves_only_the_alive_time_and_keeps_earlier_reads_usable()
    {
        await using var table = await OpenTableAsync();
        var entry = NewEntry(11013);
        var before = await InsertAsync(table, entry);
        var rowEtag = before.Members[0].Item2;

        var alive = StartTime.AddMinutes(3);
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = alive }, CancellationToken.None);

        var after = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        var (read, etagAfterHeartbeat) = Assert.Single(after.Members);
        Assert.Equal(alive, read.IAmAliveTime);
        Assert.Equal(entry.Status, read.Status);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(rowEtag, etagAfterHeartbeat);

        // A vote computed from the read before the heartbeat still applies and does not undo the heartbeat.
        entry.AddOrUpdateSuspector(SiloAddress.New(IPAddress.Loopback, 11014, 1), StartTime.AddMinutes(1), maxVotes: 2);
        Assert.True(await table.UpdateRowAsync(entry, rowEtag, before.Version.Next(), CancellationToken.None));
        Assert.Equal(alive, Assert.Single((await table.ReadAllAsync(CancellationToken.None)).Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Concurrent_writers_of_one_table_version_have_exactly_one_winner()
    {
        await using var table = await OpenTableAsync();
        var version = (await table.ReadAllAsync(CancellationToken.None)).Version.Next();

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => table.InsertRowAsync(NewEntry(11100 + i), version, CancellationToken.None)));

        Assert.Single(results, won => won);
        var after = await table.ReadAllAsync(CancellationToken.None);
        Assert.Single(after.Members);
        Assert.Equal(version.Version, after.Version.Version);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_entries_last_updated_before_the_cut_off()
    {
        await using var table = await OpenTableAsync();
        var cutOff = new DateTimeOffset(StartTime.AddHours(1));
        var oldDead = NewEntry(11201, SiloStatus.Dead);
        var oldActive = NewEntry(11202, SiloStatus.Active);
        var recentDead = NewEntry(11203, SiloStatus.Dead);
        recentDead.IAmAliveTime = StartTime.AddHours(2);
        var deadWithRecentVote = NewEntry(11204, SiloStatus.Dead);
        deadWithRecentVote.AddSuspector(SiloAddress.New(IPAddress.Loopback, 11205, 1), StartTime.AddHours(2));
        foreach (var entry in new[] { oldDead, oldActive, recentDead, deadWithRecentVote })
        {
            await InsertAsync(table, entry);
        }

        await table.CleanupDefunctSiloEntriesAsync(cutOff, CancellationToken.None);

        var remaining = (await table.ReadAllAsync(CancellationToken.None)).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal(new[] { oldActive, recentDead, deadWithRecentVote }.Select(e => e.SiloAddress).ToHashSet(), remaining);
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_entries_and_version_only()
    {
        var kept = NewClusterId();
        var deleted = NewClusterId();
        await using var keptTable = await OpenTableAsync(kept);
        await using var deletedTable = await OpenTableAsync(deleted);
        await InsertAsync(keptTable, NewEntry(11301));
        await InsertAsync(deletedTable, NewEntry(11302));

        await keptTable.DeleteMembershipTableEntriesAsync(deleted, CancellationToken.None);

        var gone = await deletedTable.ReadAllAsync(CancellationToken.None);
        Assert.Empty(gone.Members);
        Assert.Equal(0, gone.Version.Version);
        Assert.False(await deletedTable.InsertRowAsync(NewEntry(11303), gone.Version.Next(), CancellationToken.None));
        Assert.Single((await keptTable.ReadAllAsync(CancellationToken.None)).Members);

        await deletedTable.InitializeMembershipTableAsync(true, CancellationToken.None);
        await InsertAsync(deletedTable, NewEntry(11304));
    }

    [Fact]
    public async Task Two_cluster_ids_are_isolated()
    {
        await using var first = await OpenTableAsync();
        await using var second = await OpenTableAsync();
        var shared = NewEntry(11401);
        await InsertAsync(first, shared);
        await InsertAsync(first, NewEntry(11402));
        var firstVersion = (await first.ReadAllAsync(CancellationToken.None)).Version;

        // The same silo address may be a member of another cluster, with its own versioning.
        var secondAfter = await InsertAsync(second, shared);

        Assert.Single(secondAfter.Members);
        Assert.Equal(1, secondAfter.Version.Version);
        Assert.Equal(2, (await first.ReadAllAsync(CancellationToken.None)).Members.Count);
        Assert.Equal(firstVersion, (await first.ReadAllAsync(CancellationToken.None)).Version);
        Assert.False(await second.InsertRowAsync(NewEntry(11403), firstVersion.Next(), CancellationToken.None));
    }

    [Fact]
    public async Task Gateway_list_holds_the_proxy_endpoints_of_active_silos_of_its_cluster_only()
    {
        var clusterId = NewClusterId();
        await using var table = await OpenTableAsync(clusterId);
        await using var other = await OpenTableAsync();
        var active = NewEntry(11501, SiloStatus.Active);
        await InsertAsync(table, active);
        await InsertAsync(table, NewEntry(11502, SiloStatus.Joining));
        await InsertAsync(table, NewEntry(11503, SiloStatus.Dead));
        await InsertAsync(other, NewEntry(11504, SiloStatus.Active));
        await using var gateways = CreateGatewayProvider(database.ConnectionString, clusterId);

        var uris = await gateways.GetGatewaysAsync(CancellationToken.None);

        var expected = SiloAddress.New(IPAddress.Loopback, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal(expected, Assert.Single(uris));
    }

    [Fact]
    public async Task Gateway_list_is_empty_before_any_silo_created_the_tables()
    {
        var emptyDatabase = await database.CreateDatabaseAsync();
        await using var gateways = CreateGatewayProvider(emptyDatabase, NewClusterId());

        Assert.Empty(await gateways.GetGatewaysAsync(CancellationToken.None));
    }

    private static string NewClusterId() => $"test-{Guid.NewGuid():N}";

    private static PostgresMembershipTable CreateTable(string connectionString, string clusterId) =>
        new(
            Options.Create(new PostgresClusteringOptions { ConnectionString = connectionString }),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "facegallery-tests" }),
            NullLogger<PostgresMembershipTable>.Instance);

    private static PostgresGatewayListProvider CreateGatewayProvider(string connectionString, string clusterId) =>
        new(
            Options.Create(new PostgresClusteringOptions { ConnectionString = connectionString }),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "facegallery-tests" }),
            Options.Create(new GatewayOptions()),
            NullLogger<PostgresGatewayListProvider>.Instance);

    private async Task<PostgresMembershipTable> OpenTableAsync(string? clusterId = null)
    {
        var table = CreateTable(database.ConnectionString, clusterId ?? NewClusterId());
        await table.InitializeMembershipTableAsync(true, CancellationToken.None);
        return table;
    }

    private static async Task<MembershipTableData> InsertAsync(PostgresMembershipTable table, MembershipEntry entry)
    {
        var version = (await table.ReadAllAsync(CancellationToken.None)).Version;
        Assert.True(await table.InsertRowAsync(entry, version.Next(), CancellationToken.None));
        return await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
    }

    private static MembershipEntry NewEntry(int port, SiloStatus status = SiloStatus.Active) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
        Status = status,
        SuspectTimes = [],
        SiloName = $"silo-{port}",
        HostName = "test-host",
        ProxyPort = port + 10000,
        RoleName = "gallery",
        UpdateZone = 1,
        FaultZone = 2,
        StartTime = StartTime,
        IAmAliveTime = StartTime.AddSeconds(30),
    };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(expected.SuspectTimes, actual.SuspectTimes);
    }
}
