using FaceGallery.Contracts;
using Npgsql;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// Tells "the database cannot be reached right now" apart from every other failure, so the API can
/// answer 503 <c>storage_unavailable</c> and clients retry. Decided on SqlState classes and
/// <see cref="NpgsqlException.IsTransient"/>, never on message text.
/// </summary>
internal static class PostgresFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => IsConnectionState(postgres.SqlState) || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => false,
    };

    public static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception class
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    /// <summary>
    /// The error callers see. The Npgsql exception is logged where it happens and not attached:
    /// Orleans has no codec for it, so a grain throwing it inside this one made the calling silo
    /// answer 500 instead of 503 (seen in the restart-postgres load test).
    /// </summary>
    public static GalleryException Unavailable(Exception exception) =>
        new(ErrorCodes.StorageUnavailable,
            $"The gallery database is unavailable ({(exception as PostgresException)?.SqlState ?? exception.GetType().Name}); retry shortly.");
}
