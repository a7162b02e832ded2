using Microsoft.Extensions.Logging;

namespace FaceGallery.Grains.Identities;

/// <summary>Log messages of identity grains (event ids 1000–1099).</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Identity {Identity}: {Accepted} samples accepted, {Duplicates} duplicates, {Total} in all")]
    public static partial void Enrolled(ILogger logger, string identity, int accepted, int duplicates, int total);

    [LoggerMessage(1001, LogLevel.Debug, "Identity {Identity}: descriptor version {Version} stored over {Samples} samples")]
    public static partial void DescriptorStored(ILogger logger, string identity, long version, int samples);

    [LoggerMessage(1002, LogLevel.Information, "Identity {Identity}: descriptor version {Version} superseded by a newer one; reloading")]
    public static partial void DescriptorSuperseded(ILogger logger, string identity, long version);
}
