using FaceGallery.Grains;

namespace FaceGallery.Server.Hosting;

public static class GalleryOptionsHosting
{
    /// <summary>Binds and validates the gallery limits once, at start-up.</summary>
    public static WebApplicationBuilder AddGalleryOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GalleryOptions>()
            .Bind(builder.Configuration.GetSection(GalleryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
