namespace FaceGallery.Server.Hosting;

/// <summary>
/// Where the web page is served from. The build copies wwwroot beside the binaries, and the page is
/// taken from there, so it appears whatever the working directory: `dotnet run --project …` from the
/// repository root, the built dll started from anywhere, or a published folder.
/// </summary>
public static class WebRootLocation
{
    public static WebApplicationOptions Options(string[] args)
    {
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return new WebApplicationOptions
        {
            Args = args,
            // Without a copy beside the binaries the default (wwwroot under the content root) still applies.
            WebRootPath = Directory.Exists(besideBinaries) ? besideBinaries : null,
        };
    }
}
