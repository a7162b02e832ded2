using Orleans;
using Orleans.Runtime;

namespace FaceGallery.Clustering.Tests;

/// <summary>Says which silo its activation lives on, so a test can see where the cluster placed it.</summary>
public interface ILocatorGrain : IGrainWithStringKey
{
    Task<string> GetHostingSilo();
}

internal sealed class LocatorGrain(ILocalSiloDetails localSilo) : Grain, ILocatorGrain
{
    Task<string> ILocatorGrain.GetHostingSilo() => Task.FromResult(localSilo.SiloAddress.ToParsableString());
}
