using FaceGallery.Contracts;
using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

public static class RequestBodyLimit
{
    /// <summary>
    /// Refuses bodies over <see cref="ServerOptions.MaxRequestBytes"/>: at once when the declared
    /// length says so, and through the server's own limit for streamed bodies.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.MaxRequestBytes;
            if (context.Request.ContentLength > limit)
            {
                throw new GalleryException(ErrorCodes.PayloadTooLarge,
                    $"The body has {context.Request.ContentLength} bytes; the limit is {limit}.");
            }

            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
