namespace FaceGallery.Inference.Faces.Detection;

/// <summary>
/// BlazeFace's SSD anchors (MediaPipe's SsdAnchorsCalculator with fixed unit-size anchors): for each
/// feature map, cell centres at ((x + 0.5) / cols, (y + 0.5) / rows), rows outermost, repeated once per
/// anchor of the cell. Coordinates are fractions of the square model input.
/// </summary>
internal static class Anchors
{
    public static (float X, float Y)[] Generate(int inputSize, ReadOnlySpan<int> strides, ReadOnlySpan<int> anchorsPerCell)
    {
        var anchors = new List<(float X, float Y)>();
        for (var layer = 0; layer < strides.Length; layer++)
        {
            var cells = inputSize / strides[layer];
            for (var y = 0; y < cells; y++)
            {
                for (var x = 0; x < cells; x++)
                {
                    for (var a = 0; a < anchorsPerCell[layer]; a++)
                    {
                        anchors.Add(((x + 0.5f) / cells, (y + 0.5f) / cells));
                    }
                }
            }
        }

        return [.. anchors];
    }
}
