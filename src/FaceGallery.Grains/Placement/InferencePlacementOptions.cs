namespace FaceGallery.Grains.Placement;

/// <summary>Where image inference and descriptor recomputation run (section "FaceGallery:Placement").</summary>
public sealed class InferencePlacementOptions
{
    public const string SectionName = "FaceGallery:Placement";

    /// <summary>
    /// With no accelerator silo in the cluster, refuse inference (503 cluster_unavailable) instead of
    /// running it on CPU silos.
    /// </summary>
    public bool RequireAccelerator { get; set; }

    /// <summary>
    /// Inference grains per cluster. Each activation lives on one accelerator silo; several spread the work
    /// over several accelerator silos.
    /// </summary>
    public int Workers { get; set; } = 8;
}
