namespace FaceGallery.Faces.Tests;

/// <summary>Locates the repository's committed models and test data from the test binary's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string DlibFaces => Path.Combine(RepoRoot, "tests", "data", "dlib-faces");

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
