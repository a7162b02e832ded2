namespace FaceGallery.Inference.Onnx;

/// <summary>Finds the `models/` folder: configured, else the nearest one above the application.</summary>
public static class ModelLocator
{
    public const string ModelsFolderName = "models";

    /// <summary>
    /// Returns <paramref name="configured"/> when given, else walks up from <paramref name="startDirectory"/>
    /// (default <see cref="AppContext.BaseDirectory"/>) to the first folder that has a `models` child:
    /// that finds the copy in a build's output first and the repository's own folder when run from source.
    /// </summary>
    public static string FindModelsDirectory(string? configured, string? startDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured);
            return Directory.Exists(full)
                ? full
                : throw new DirectoryNotFoundException($"Configured models folder '{full}' does not exist.");
        }

        var start = startDirectory ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ModelsFolderName);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No '{ModelsFolderName}' folder at or above '{start}'; set FaceGallery:ModelsPath.");
    }

    public static string ManifestPath(string modelsDirectory, string modelName) =>
        Path.Combine(modelsDirectory, modelName, ModelManifest.FileName);
}
