using FaceGallery.Contracts;
using FaceGallery.Grains.Faces;
using FaceGallery.Inference.Aggregation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Grains.Placement;

/// <summary>
/// Decides where inference runs. This silo has an accelerator, or the cluster has none: here, without a
/// hop. Another silo has one: an <see cref="IFaceInferenceGrain"/>, which the accelerator placement filter
/// activates there. None anywhere and <see cref="InferencePlacementOptions.RequireAccelerator"/>: refused.
/// </summary>
public sealed class InferenceRouter(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    ILocalSiloDetails silo,
    IServiceProvider services,
    LocalSetAggregator aggregator,
    IOptions<InferencePlacementOptions> options,
    ILogger<InferenceRouter> logger)
{
    public async Task<ImageBatchFaces> AnalyzeAsync(IReadOnlyList<FaceImage> images, CancellationToken cancellationToken)
    {
        if (RunsHere())
        {
            // Resolved on first use: a store-only test host never loads the models.
            var pipeline = services.GetRequiredService<FacePipeline>();
            PlacementLog.PlacedRun(logger, "images", images.Count);
            return new ImageBatchFaces(await pipeline.AnalyzeAsync(images, cancellationToken), silo.SiloAddress.ToParsableString());
        }

        return await Worker().Analyze(images, cancellationToken);
    }

    public async ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken)
    {
        if (RunsHere())
        {
            PlacementLog.PlacedRun(logger, "aggregate", members.Count);
            return await aggregator.Inner.AggregateAsync(members, cancellationToken);
        }

        var wire = members.Select(m => new WireSetMember(m.Embedding.ToArray(), m.Quality)).ToArray();
        var set = await Worker().Aggregate(wire, cancellationToken);
        return new SetDescriptor(set.Vector, set.Coreset);
    }

    private bool RunsHere()
    {
        if (metadata.HasAccelerator(silo.SiloAddress))
        {
            return true;
        }

        var anyAccelerator = membership.CurrentSnapshot.Members.Values
            .Any(m => m.Status == SiloStatus.Active && metadata.HasAccelerator(m.SiloAddress));
        if (anyAccelerator)
        {
            return false;
        }

        if (options.Value.RequireAccelerator)
        {
            throw new GalleryException(ErrorCodes.ClusterUnavailable,
                "no silo with an accelerator is active, and this cluster is configured to require one for inference.");
        }

        return true;
    }

    private IFaceInferenceGrain Worker() =>
        grains.GetGrain<IFaceInferenceGrain>(Random.Shared.Next(Math.Max(1, options.Value.Workers)));
}
