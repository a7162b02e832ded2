using System.ComponentModel.DataAnnotations;

namespace FaceGallery.Storage.Embedded;

/// <summary>Where and how the single-process gallery keeps its files.</summary>
public sealed class EmbeddedStoreOptions
{
    public const string SectionName = "FaceGallery:Embedded";

    /// <summary>Data directory (relative paths resolve against the working directory); one process at a time.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>Length of every embedding and descriptor; fixed when the directory is first used.</summary>
    [Range(1, 65536)]
    public int Dimension { get; set; }

    /// <summary>
    /// When the journal grows past this, the state is written to a snapshot and the journal starts
    /// over, so start-up replays at most about this much.
    /// </summary>
    [Range(4096, long.MaxValue)]
    public long CompactionThresholdBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Rewrite snapshot and journal right after an identity is deleted, so its samples and
    /// descriptor are gone from the files at once (right to erasure). Costs one snapshot write per delete.
    /// </summary>
    public bool CompactOnErase { get; set; } = true;
}
