namespace FaceGallery.Inference.Coreset;

/// <summary>FaceCoresetNet aggregator settings, bound from `FaceGallery:Coreset`.</summary>
public sealed class CoresetAggregatorOptions
{
    public const string SectionName = "FaceGallery:Coreset";

    /// <summary>Model folder under `models/`.</summary>
    public string Model { get; set; } = "facecoresetnet";
}
