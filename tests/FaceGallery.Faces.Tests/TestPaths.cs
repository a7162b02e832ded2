namespace FaceGallery.Faces.Tests;

/// <summary>Locates the repository's committed models and test data from the test binary's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>dlib's own outputs for the alignment parity tests (this branch's reference tool).</summary>
    public static string DlibFaces => Path.Combine(RepoRoot, "tests", "data", "dlib-faces");

    /// <summary>dlib's examples/faces photos, shared with the embedder's tests.</summary>
    public static string DlibPhotos => Path.Combine(RepoRoot, "tests", "data", "dlib", "photos");

    public static string ShapePredictorModel =>
        Path.Combine(RepoRoot, "models", "dlib-shape-predictor-5", "shape_predictor_5_face_landmarks.dat");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceGallery.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FaceGallery.sln not found above " + AppContext.BaseDirectory);
    }
}
