namespace FaceGallery.Testing;

/// <summary>Where things are in the repository, found from the test's own location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The build output of src/FaceGallery.Server in the configuration the tests were built in.</summary>
    public static string ServerOutput => Path.Combine(Root, "src", "FaceGallery.Server", "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceGallery.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FaceGallery.sln not found above " + AppContext.BaseDirectory);
    }
}
