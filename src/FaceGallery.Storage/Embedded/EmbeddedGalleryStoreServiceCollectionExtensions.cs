using FaceGallery.Storage;
using FaceGallery.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class EmbeddedGalleryStoreServiceCollectionExtensions
{
    /// <summary>Registers the file-backed <see cref="EmbeddedGalleryStore"/> as the <see cref="IGalleryStore"/>.</summary>
    public static IServiceCollection AddEmbeddedGalleryStore(this IServiceCollection services, Action<EmbeddedStoreOptions> configure)
    {
        services.AddOptions<EmbeddedStoreOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataPath), "FaceGallery embedded store needs a data path.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedStoreOptions>, EmbeddedStoreOptionsValidator>());
        services.TryAddSingleton<EmbeddedGalleryStore>();
        services.TryAddSingleton<IGalleryStore>(provider => provider.GetRequiredService<EmbeddedGalleryStore>());
        return services;
    }
}
