using FaceGallery.Grains.Faces;
using FaceGallery.Inference.Aggregation;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace FaceGallery.Grains.Placement;

/// <summary>
/// Runs inference with this silo's models. Reentrant: concurrent requests must overlap so their chips
/// share the embedder's batches.
/// </summary>
[Reentrant]
[AcceleratorPlacementFilter]
internal sealed class FaceInferenceGrain(FacePipeline pipeline, LocalSetAggregator aggregator, ILocalSiloDetails silo,
    ILogger<FaceInferenceGrain> logger)
    : Grain, IFaceInferenceGrain
{
    async Task<ImageBatchFaces> IFaceInferenceGrain.Analyze(IReadOnlyList<FaceImage> images, CancellationToken cancellationToken)
    {
        PlacementLog.PlacedRun(logger, "images", images.Count);
        return new(await pipeline.AnalyzeAsync(images, cancellationToken), silo.SiloAddress.ToParsableString());
    }

    async Task<WireSetDescriptor> IFaceInferenceGrain.Aggregate(IReadOnlyList<WireSetMember> members, CancellationToken cancellationToken)
    {
        PlacementLog.PlacedRun(logger, "aggregate", members.Count);
        var set = await aggregator.Inner.AggregateAsync(members.Select(m => new SetMember(m.Embedding, m.Quality)).ToArray(), cancellationToken);
        return new WireSetDescriptor(set.Vector, set.Coreset.ToArray());
    }
}
